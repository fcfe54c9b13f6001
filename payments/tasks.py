import requests
from celery import shared_task

from core.outbox import outbox_task

from . import sandbox, services
from .invoicing import services as invoicing


@outbox_task()
def apply_notification(received_id: int) -> str:
    """Apply a WeChat Pay notification the notify view kept (idempotent)."""
    return services.received_notification_apply(received_id=received_id)


@outbox_task()
def apply_notifications() -> int:
    """Apply every WeChat Pay notification kept and not applied yet (a burst's, together)."""
    return services.received_notifications_apply()


@outbox_task()
def make_receipt(receipt_id: int) -> str:
    """Draw a paid order's receipt (缴费凭证); a drawn one is left alone."""
    return invoicing.receipt_make(receipt_id=receipt_id).number


@outbox_task()
def submit_invoice(invoice_id: int) -> str:
    """Hand a 数电发票 to the provider (ProviderUnavailable is an OSError: retried with backoff)."""
    return invoicing.invoice_submit(invoice_id=invoice_id).state


@outbox_task()
def check_invoice(invoice_id: int) -> str:
    """Ask the provider how an invoice or its reversal stands, and record the answer."""
    return invoicing.invoice_check(invoice_id=invoice_id).state


@shared_task(autoretry_for=(requests.RequestException,), retry_backoff=2, retry_backoff_max=60, max_retries=5)
def sandbox_send_notification(out_trade_no: str) -> int:
    """The sandbox's WeChat posts its notification (only ever queued in sandbox mode)."""
    return sandbox.deliver_notification(out_trade_no=out_trade_no)
