"""Celery tasks of the expert pool: the appointment letter (聘书).
The tasks keep the names they had before the experts app was split by concern, so jobs
already in the outbox still find them."""
from core.outbox import outbox_task
from experts.pool import services as pool


@outbox_task(name="experts.tasks.generate_appointment_letter")
def generate_appointment_letter(appointment_id: int) -> str:
    """Render an appointment letter (idempotent: an existing letter is kept)."""
    return pool.appointment_letter_generate(appointment_id=appointment_id).number
