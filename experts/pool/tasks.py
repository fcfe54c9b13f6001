"""Celery tasks of the expert pool: the appointment letter (聘书).
The tasks keep the names they had before the experts app was split by concern, so jobs
already in the outbox still find them."""
from celery import shared_task
from django.conf import settings

from experts.pool import services as pool


@shared_task(name="experts.tasks.generate_appointment_letter", autoretry_for=(OSError,), retry_backoff=30,
             retry_backoff_max=settings.TASK_RETRY_BACKOFF_MAX, max_retries=settings.TASK_MAX_RETRIES)
def generate_appointment_letter(appointment_id: int) -> str:
    """Render an appointment letter (idempotent: an existing letter is kept)."""
    return pool.appointment_letter_generate(appointment_id=appointment_id).number
