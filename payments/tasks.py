import requests
from celery import shared_task

from core.outbox import outbox_task

from . import sandbox, services


@outbox_task()
def issue_invoice(invoice_id: int) -> str:
    """Issue the invoice of a paid order (idempotent: an issued invoice is left alone)."""
    return services.invoice_issue(invoice_id=invoice_id).number


@shared_task(autoretry_for=(requests.RequestException,), retry_backoff=2, retry_backoff_max=60, max_retries=5)
def sandbox_send_notification(out_trade_no: str) -> int:
    """The sandbox's WeChat posts its notification (only ever queued in sandbox mode)."""
    return sandbox.deliver_notification(out_trade_no=out_trade_no)
