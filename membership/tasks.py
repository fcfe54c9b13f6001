from celery import shared_task
from django.conf import settings

from . import services


@shared_task(autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=settings.TASK_RETRY_BACKOFF_MAX,
             max_retries=settings.TASK_MAX_RETRIES)
def generate_certificate(term_id: int) -> str:
    """Render a term's certificate (idempotent: an existing certificate is kept)."""
    return services.certificate_generate(term_id=term_id).certificate_no
