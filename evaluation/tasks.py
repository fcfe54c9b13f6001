from core.outbox import outbox_task

from . import certificates
from .services.application_form import acceptance_notice_render, application_form_render


@outbox_task()
def generate_certificates(evaluation_id: int) -> str:
    """Render the certificate and plaque of a published evaluation (idempotent)."""
    return certificates.certificates_generate(evaluation_id=evaluation_id)


@outbox_task()
def generate_application_form_pdf(form_id: int) -> int:
    """Render the online application form as a PDF for signature and seal (idempotent)."""
    return application_form_render(form_id=form_id).pk


@outbox_task()
def generate_acceptance_notice(evaluation_id: int) -> int:
    """Render the 受理通知书 / 不予受理通知书 of the office's decision (idempotent)."""
    return acceptance_notice_render(evaluation_id=evaluation_id).pk
