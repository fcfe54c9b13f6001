"""Celery tasks shared by every app: the deadline scan and notification delivery."""
from celery import shared_task
from django.conf import settings

from . import deadlines, notifications


@shared_task
def run_deadline_scanners() -> dict:
    """Beat runs this every minute; see core.deadlines."""
    return deadlines.run_scanners()


@shared_task(
    bind=True,
    autoretry_for=(notifications.DeliveryError,),
    retry_backoff=30,
    retry_backoff_max=settings.TASK_RETRY_BACKOFF_MAX,
    retry_jitter=True,
    max_retries=settings.TASK_MAX_RETRIES,
)
def deliver_notification(self, delivery_id: int) -> bool:
    return notifications.delivery_send(delivery_id=delivery_id)
