"""Celery tasks of credits: certificate and transcript PDFs (sent by the outbox)."""
from core.outbox import outbox_task
from education.credits import services


@outbox_task(name="education.tasks.generate_certificate")
def generate_certificate(certificate_id: int) -> str:
    """Render a credit certificate (idempotent: an existing PDF is kept)."""
    return services.certificate_generate(certificate_id=certificate_id).number


@outbox_task(name="education.tasks.generate_transcript")
def generate_transcript(transcript_id: int) -> int:
    """Render a yearly transcript (idempotent)."""
    return services.transcript_generate(transcript_id=transcript_id).pk
