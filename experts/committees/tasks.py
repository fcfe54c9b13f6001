"""Celery tasks of the committees: the signed minutes.
The tasks keep the names they had before the experts app was split by concern, so jobs
already in the outbox still find them."""
from celery import shared_task
from django.conf import settings

from experts.committees import meetings


@shared_task(name="experts.tasks.generate_minutes", autoretry_for=(OSError,), retry_backoff=30,
             retry_backoff_max=settings.TASK_RETRY_BACKOFF_MAX, max_retries=settings.TASK_MAX_RETRIES)
def generate_minutes(meeting_id: int) -> int:
    """Render the signed minutes PDF (idempotent)."""
    return meetings.minutes_pdf_render(meeting_id=meeting_id).pk
