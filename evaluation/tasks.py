from celery import shared_task
from django.conf import settings

from . import certificates


@shared_task(autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=settings.TASK_RETRY_BACKOFF_MAX,
             max_retries=settings.TASK_MAX_RETRIES)
def generate_certificates(evaluation_id: int) -> str:
    """Render the certificate and plaque of a published evaluation (idempotent)."""
    return certificates.certificates_generate(evaluation_id=evaluation_id)
