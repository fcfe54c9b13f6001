"""Celery tasks of the on-site review: the visit notice and the signed group report.
The tasks keep the names they had before the experts app was split by concern, so jobs
already in the outbox still find them."""
from celery import shared_task
from django.conf import settings

from experts.review import reports
from experts.review import services as visits


@shared_task(name="experts.tasks.generate_visit_notice", autoretry_for=(OSError,), retry_backoff=30,
             retry_backoff_max=settings.TASK_RETRY_BACKOFF_MAX, max_retries=settings.TASK_MAX_RETRIES)
def generate_visit_notice(visit_id: int) -> int:
    """Render the latest visit notice PDF (idempotent)."""
    return visits.visit_notice_render(visit_id=visit_id).pk


@shared_task(name="experts.tasks.generate_group_report", autoretry_for=(OSError,), retry_backoff=30,
             retry_backoff_max=settings.TASK_RETRY_BACKOFF_MAX, max_retries=settings.TASK_MAX_RETRIES)
def generate_group_report(report_id: int) -> int:
    """Render the signed group report PDF (idempotent)."""
    return reports.report_pdf_render(report_id=report_id).pk
