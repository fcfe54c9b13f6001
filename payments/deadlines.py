from core.deadlines import deadline_scanner

from . import services


@deadline_scanner("payments.reconcile_orders")
def reconcile_orders(now):
    return services.orders_reconcile(now=now)


@deadline_scanner("payments.escalate_overdue_invoices")
def escalate_overdue_invoices(now):
    return services.invoices_escalate_overdue(now=now)
