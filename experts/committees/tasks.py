"""Celery tasks of the committees: the signed minutes.
The tasks keep the names they had before the experts app was split by concern, so jobs
already in the outbox still find them."""
from core.outbox import outbox_task
from experts.committees import meetings


@outbox_task(name="experts.tasks.generate_minutes")
def generate_minutes(meeting_id: int) -> int:
    """Render the signed minutes PDF (idempotent)."""
    return meetings.minutes_pdf_render(meeting_id=meeting_id).pk
