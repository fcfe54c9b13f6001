from celery import shared_task
from django.conf import settings

from . import certificates


@shared_task(autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=settings.TASK_RETRY_BACKOFF_MAX,
             max_retries=settings.TASK_MAX_RETRIES)
def generate_certificates(evaluation_id: int) -> str:
    """Render the certificate and plaque of a published evaluation (idempotent)."""
    return certificates.certificates_generate(evaluation_id=evaluation_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=settings.TASK_RETRY_BACKOFF_MAX,
             max_retries=settings.TASK_MAX_RETRIES)
def generate_application_form_pdf(form_id: int) -> int:
    """Render the online application form as a PDF for signature and seal (idempotent)."""
    from .services.application_form import application_form_render

    return application_form_render(form_id=form_id).pk


@shared_task(autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=settings.TASK_RETRY_BACKOFF_MAX,
             max_retries=settings.TASK_MAX_RETRIES)
def generate_acceptance_notice(evaluation_id: int) -> int:
    """Render the 受理通知书 / 不予受理通知书 of the office's decision (idempotent)."""
    from .services.application_form import acceptance_notice_render

    return acceptance_notice_render(evaluation_id=evaluation_id).pk
