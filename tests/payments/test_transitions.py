"""Every allowed and every forbidden transition of Order and Invoice."""
import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from membership.models import Member
from payments.models import Invoice, Order
from tests.membership.factories import UnitMemberFactory
from tests.payments.helpers import dues_order

pytestmark = pytest.mark.django_db
OS = Order.State
NOW = timezone.now


def _order(state=OS.UNPAID) -> Order:
    order = dues_order(UnitMemberFactory(state=Member.State.APPROVED))
    if state != OS.UNPAID:
        Order.objects.filter(pk=order.pk).update(state=state)
        order = Order.objects.get(pk=order.pk)
    return order


MOVES = {
    "pay_by_wechat": lambda o: o.pay_by_wechat(transaction_id="4200000001", paid_at=NOW()),
    "submit_transfer": lambda o: o.submit_transfer(),
    "verify_transfer": lambda o: o.verify_transfer(paid_at=NOW()),
    "reject_transfer": lambda o: o.reject_transfer(),
    "close": lambda o: o.close(closed_at=NOW(), reason="过期"),
    "refund": lambda o: o.refund(refunded_at=NOW(), reason="重复缴费"),
}
ALLOWED = {
    ("pay_by_wechat", OS.UNPAID): OS.PAID,
    ("submit_transfer", OS.UNPAID): OS.AWAITING_VERIFICATION,
    ("verify_transfer", OS.AWAITING_VERIFICATION): OS.PAID,
    ("reject_transfer", OS.AWAITING_VERIFICATION): OS.UNPAID,
    ("close", OS.UNPAID): OS.CLOSED,
    ("refund", OS.PAID): OS.REFUNDED,
}


@pytest.mark.parametrize(("move", "source"), list(ALLOWED))
def test_allowed_order_transition(move, source):
    order = _order(source)
    MOVES[move](order)
    order.save()
    assert Order.objects.get(pk=order.pk).state == ALLOWED[(move, source)]


@pytest.mark.parametrize(
    ("move", "source"),
    [(m, s) for m in MOVES for s in OS.values if (m, s) not in ALLOWED],
)
def test_forbidden_order_transition(move, source):
    order = _order(source)
    with pytest.raises(TransitionNotAllowed):
        MOVES[move](order)
    assert Order.objects.get(pk=order.pk).state == source


def test_order_state_cannot_be_assigned_directly():
    order = _order()
    with pytest.raises(AttributeError):
        order.state = OS.PAID


def test_a_stale_copy_cannot_save_a_second_transition():
    first = _order()
    stale = Order.objects.get(pk=first.pk)
    first.close(closed_at=NOW(), reason="取消")
    first.save()
    stale.pay_by_wechat(transaction_id="4200000002", paid_at=NOW())
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        stale.save()
    assert Order.objects.get(pk=first.pk).state == OS.CLOSED


def test_amount_in_fen_is_exact():
    order = _order()
    order.amount = order.amount.__class__("1999.99")
    assert order.amount_fen == 199999


IS = Invoice.State


def _invoice(state=IS.PENDING) -> Invoice:
    order = _order(OS.PAID)
    return Invoice.objects.create(order=order, title=order.invoice_title, email="a@b.cn", mobile="13900000000",
                                  amount=order.amount, item=order.description, due_on=dt.date(2026, 1, 9), state=state)


INVOICE_MOVES = {
    "request": lambda i: i.request(serial_no="2612050001"),
    "fail": lambda i: i.fail(reason="购方税号有误"),
    "issue": lambda i: i.issue(number="26112000000000000001", at=NOW()),
    "cancel": lambda i: i.cancel(),
    "start_reversal": lambda i: i.start_reversal(reason="退款"),
    "finish_reversal": lambda i: i.finish_reversal(red_number="26112000000000000002", at=NOW()),
}
INVOICE_ALLOWED = {
    ("request", IS.PENDING): IS.REQUESTED, ("request", IS.FAILED): IS.REQUESTED,
    ("fail", IS.PENDING): IS.FAILED, ("fail", IS.REQUESTED): IS.FAILED,
    ("issue", IS.PENDING): IS.ISSUED, ("issue", IS.REQUESTED): IS.ISSUED, ("issue", IS.FAILED): IS.ISSUED,
    ("cancel", IS.PENDING): IS.CANCELLED, ("cancel", IS.FAILED): IS.CANCELLED,
    ("start_reversal", IS.ISSUED): IS.REVERSING,
    ("finish_reversal", IS.REVERSING): IS.REVERSED,
}


@pytest.mark.parametrize(("move", "source"), list(INVOICE_ALLOWED))
def test_allowed_invoice_transition(move, source):
    invoice = _invoice(source)
    INVOICE_MOVES[move](invoice)
    invoice.save()
    assert Invoice.objects.get(pk=invoice.pk).state == INVOICE_ALLOWED[(move, source)]


@pytest.mark.parametrize(
    ("move", "source"), [(m, s) for m in INVOICE_MOVES for s in IS.values if (m, s) not in INVOICE_ALLOWED]
)
def test_forbidden_invoice_transition(move, source):
    invoice = _invoice(source)
    with pytest.raises(TransitionNotAllowed):
        INVOICE_MOVES[move](invoice)
