from core.deadlines import deadline_scanner

from . import services
from .invoicing import services as invoicing


@deadline_scanner("payments.reconcile_orders")
def reconcile_orders(now):
    return services.orders_reconcile(now=now)


@deadline_scanner("payments.resend_notifications")
def resend_notifications(now):
    return services.received_notifications_resend(now=now)


@deadline_scanner("payments.poll_invoices")
def poll_invoices(now):
    return invoicing.invoices_poll(now=now)


@deadline_scanner("payments.escalate_overdue_invoices")
def escalate_overdue_invoices(now):
    return invoicing.invoices_escalate_overdue(now=now)
