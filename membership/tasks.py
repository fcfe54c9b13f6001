from core.outbox import outbox_task

from . import services


@outbox_task()
def generate_certificate(term_id: int) -> str:
    """Render a term's certificate (idempotent: an existing certificate is kept)."""
    return services.certificate_generate(term_id=term_id).certificate_no
