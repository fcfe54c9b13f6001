"""Celery tasks of orders: the purchase order PDF (sent by the outbox)."""
from core.outbox import outbox_task
from purchasing.orders import services


@outbox_task(name="purchasing.tasks.generate_order")
def generate_order(order_id: int) -> str:
    """Render a purchase order and send it to the supplier (idempotent)."""
    return services.order_generate(order_id=order_id).number
