"""Every write to orders: a member's confirmation becomes one numbered purchase order per
supplier (PDF by Celery, sent to the supplier); the supplier accepts, ships and records the
payment; the member confirms receipt or reports a problem; the window's end finishes the round
and charges each supplier the disclosed service fee."""
import logging
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.notifications import notification_send
from core.outbox import job_enqueue
from core.workflow import locked_step
from purchasing.exceptions import OrderRefused
from purchasing.rounds.models import Demand, Participation, Round, RoundItem
from purchasing.rounds.services import pending_answer

from .documents import render_order
from .models import OrderLine, OrderProblem, PurchaseOrder, ServiceFee

logger = logging.getLogger(__name__)
CENT = Decimal("0.01")


def participation_confirm(*, round_id: int, user) -> list[PurchaseOrder]:
    """The member takes the final prices: one purchase order per supplier of the successful
    products the member asked for, numbered, rendered and sent to the supplier."""
    with transaction.atomic():
        participation = pending_answer(round_id, user)
        participation.decision, participation.decided_at = Participation.Decision.CONFIRMED, timezone.now()
        participation.save(update_fields=["decision", "decided_at"])
        lines = (Demand.objects.filter(item__round_id=round_id, member=participation.member, quantity__gt=0,
                                       item__outcome=RoundItem.Outcome.SUCCEEDED)
                 .select_related("item__product__supplier"))
        by_supplier = defaultdict(list)
        for demand in lines:
            by_supplier[demand.item.product.supplier].append(demand)
        orders = [_order(participation, supplier, demands) for supplier, demands in by_supplier.items()]
    logger.info("round %s: member %s confirmed, %s orders", round_id, participation.member_id, len(orders))
    return orders


def _order(participation, supplier, demands) -> PurchaseOrder:
    amount = sum((d.item.final_price * d.quantity for d in demands), Decimal("0"))
    list_amount = sum((d.item.product.list_price * d.quantity for d in demands), Decimal("0"))
    order = PurchaseOrder.objects.create(round=participation.round, supplier=supplier, member=participation.member,
                                         amount=amount, list_amount=list_amount)
    order.number = f"TG{timezone.localdate():%Y}{order.pk:07d}"
    order.save(update_fields=["number"])
    OrderLine.objects.bulk_create([
        OrderLine(order=order, product=d.item.product, quantity=d.quantity, unit_price=d.item.final_price,
                  list_price=d.item.product.list_price) for d in demands])
    job_enqueue("purchasing.tasks.generate_order", order.pk)
    return order


def order_generate(*, order_id: int) -> PurchaseOrder:
    """Render the order's PDF, once, and send the order to the supplier (and tell the member)."""
    with transaction.atomic():
        order = (PurchaseOrder.objects.select_for_update()
                 .select_related("round", "supplier__user", "member__user").get(pk=order_id))
        if order.pdf:
            return order
        order.pdf.save(f"{order.number}.pdf", ContentFile(render_order(order)), save=False)
        order.save(update_fields=["pdf"])
        _tell(order.supplier.user, order, "purchasing_order_sent", "purchasing:supplier_order")
        _tell(order.member.user, order, "purchasing_order_confirmed", "purchasing:order")
    return order


def _tell(user, order, template: str, url_name: str) -> None:
    transaction.on_commit(lambda: notification_send(
        template=template, user=user, url=reverse(url_name, args=[order.pk]), context={"order": order},
        channels=["site", "email"]))


def _own_step(order_id: int, user, *, party: str, step) -> PurchaseOrder:
    def guarded(order):
        owner = order.supplier.user_id if party == "supplier" else order.member.user_id
        if owner != user.pk:
            raise OrderRefused("这不是您的订单。")
        step(order)

    return locked_step(
        lambda pk: PurchaseOrder.objects.select_for_update().select_related("supplier", "member").get(pk=pk),
        order_id, guarded, refused=lambda o: OrderRefused(f"订单当前为“{o.get_state_display()}”，不能进行此操作。"))


def order_accept(*, order_id: int, user) -> PurchaseOrder:
    return _own_step(order_id, user, party="supplier",
                     step=lambda o: o.accept(at=timezone.now(), by=user, description="供应商接单"))


def order_ship(*, order_id: int, user, note: str) -> PurchaseOrder:
    note = (note or "").strip()
    if not note:
        raise OrderRefused("请填写发货信息（物流公司和单号，或送货安排）。")
    return _own_step(order_id, user, party="supplier",
                     step=lambda o: o.ship(at=timezone.now(), note=note[:200], by=user, description=note[:200]))


def order_receive(*, order_id: int, user) -> PurchaseOrder:
    return _own_step(order_id, user, party="member",
                     step=lambda o: o.receive(at=timezone.now(), by=user, description="会员确认收货"))


def order_payment_received(*, order_id: int, user) -> PurchaseOrder:
    """The supplier records the member's payment (members pay suppliers directly)."""
    with transaction.atomic():
        order = PurchaseOrder.objects.select_for_update().select_related("supplier").get(pk=order_id)
        if order.supplier.user_id != user.pk:
            raise OrderRefused("这不是您的订单。")
        if order.payment_received_at is None:
            order.payment_received_at = timezone.now()
            order.save(update_fields=["payment_received_at"])
    return order


def order_problem_report(*, order_id: int, user, text: str) -> OrderProblem:
    """A problem the member has with an order, kept with it; the supplier is told."""
    text = (text or "").strip()
    if not text:
        raise OrderRefused("请描述遇到的问题。")
    with transaction.atomic():
        order = PurchaseOrder.objects.select_for_update().select_related("member", "supplier__user").get(pk=order_id)
        if order.member.user_id != user.pk:
            raise OrderRefused("这不是您的订单。")
        problem = OrderProblem.objects.create(order=order, text=text[:2000], reported_by=user)
        _tell(order.supplier.user, order, "purchasing_order_problem", "purchasing:supplier_order")
    return problem


def rounds_finish(*, now=None) -> int:
    """The confirmation clock: once a closed round's window has passed, members who did not
    answer have withdrawn, and each supplier with confirmed orders owes the disclosed fee."""
    today = timezone.localdate(now)
    finished = 0
    for round_id in Round.objects.filter(state=Round.State.CLOSED, confirm_by__lt=today).values_list("pk", flat=True):
        with transaction.atomic():
            round_ = Round.objects.select_for_update(skip_locked=True).filter(pk=round_id, state=Round.State.CLOSED).first()
            if round_ is None:
                continue
            round_.participations.filter(decision=Participation.Decision.PENDING).update(
                decision=Participation.Decision.WITHDRAWN, decided_at=timezone.now(), note="确认期限内未确认")
            if round_.service_fee_percent > 0:
                _charge(round_)
            round_.finish(description="确认期结束")
            round_.save()
            finished += 1
    return finished


def _charge(round_: Round) -> None:
    totals = defaultdict(Decimal)
    for supplier_id, amount in round_.orders.values_list("supplier_id", "amount"):
        totals[supplier_id] += amount
    for supplier_id, base in totals.items():
        fee = (base * round_.service_fee_percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)
        if fee > 0:
            ServiceFee.objects.get_or_create(round=round_, supplier_id=supplier_id,
                                             defaults={"base_amount": base, "amount": fee})


def service_fee_due(fee: ServiceFee) -> bool:
    return fee.state == ServiceFee.State.DUE


def service_fee_paid(*, fee_id: int, order, by=None) -> ServiceFee:
    """Called by payments inside the paying transaction (idempotent)."""
    fee = ServiceFee.objects.select_for_update().get(pk=fee_id)
    if fee.state != ServiceFee.State.PAID:
        fee.state, fee.paid_at = ServiceFee.State.PAID, timezone.now()
        fee.save(update_fields=["state", "paid_at"])
    return fee
