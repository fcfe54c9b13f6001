from celery import shared_task
from django.conf import settings

from . import pool


@shared_task(autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=settings.TASK_RETRY_BACKOFF_MAX,
             max_retries=settings.TASK_MAX_RETRIES)
def generate_appointment_letter(appointment_id: int) -> str:
    """Render an appointment letter (idempotent: an existing letter is kept)."""
    return pool.appointment_letter_generate(appointment_id=appointment_id).number


@shared_task(autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=settings.TASK_RETRY_BACKOFF_MAX,
             max_retries=settings.TASK_MAX_RETRIES)
def generate_visit_notice(visit_id: int) -> int:
    """Render the latest visit notice PDF (idempotent)."""
    from . import visits

    return visits.visit_notice_render(visit_id=visit_id).pk


@shared_task(autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=settings.TASK_RETRY_BACKOFF_MAX,
             max_retries=settings.TASK_MAX_RETRIES)
def generate_group_report(report_id: int) -> int:
    """Render the signed group report PDF (idempotent)."""
    from . import reports

    return reports.report_pdf_render(report_id=report_id).pk


@shared_task(autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=settings.TASK_RETRY_BACKOFF_MAX,
             max_retries=settings.TASK_MAX_RETRIES)
def generate_minutes(meeting_id: int) -> int:
    """Render the signed minutes PDF (idempotent)."""
    from . import meetings

    return meetings.minutes_pdf_render(meeting_id=meeting_id).pk
