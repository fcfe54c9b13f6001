"""Celery tasks of the on-site review: the visit notice and the signed group report.
The tasks keep the names they had before the experts app was split by concern, so jobs
already in the outbox still find them."""
from core.outbox import outbox_task
from experts.review import reports
from experts.review import services as visits


@outbox_task(name="experts.tasks.generate_visit_notice")
def generate_visit_notice(visit_id: int) -> int:
    """Render the latest visit notice PDF (idempotent)."""
    return visits.visit_notice_render(visit_id=visit_id).pk


@outbox_task(name="experts.tasks.generate_group_report")
def generate_group_report(report_id: int) -> int:
    """Render the signed group report PDF (idempotent)."""
    return reports.report_pdf_render(report_id=report_id).pk
