from django.db.models import Prefetch, QuerySet

from .models import BankTransfer, Order


def orders_of(*, user) -> QuerySet[Order]:
    """A payer's orders with their invoice, newest first (one query plus one prefetch)."""
    return (
        Order.objects.filter(payer=user)
        .select_related("invoice", "receipt")
        .prefetch_related(Prefetch("transfers", queryset=BankTransfer.objects.order_by("-submitted_at")))
    )


def order_of(*, user, out_trade_no: str) -> Order | None:
    return orders_of(user=user).filter(out_trade_no=out_trade_no).first()


def open_order_for(*, payable) -> Order | None:
    from django.contrib.contenttypes.models import ContentType

    return Order.objects.filter(
        content_type=ContentType.objects.get_for_model(payable), object_id=payable.pk,
        state__in=[Order.State.UNPAID, Order.State.AWAITING_VERIFICATION],
    ).first()
