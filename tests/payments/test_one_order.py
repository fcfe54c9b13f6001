"""Money is taken once: one open order per payable, and money for a payable that no longer
waits for it is an anomaly for finance, never a second term or fee."""
import pytest
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from membership.models import Member, MembershipTerm
from payments.exceptions import NothingToPay
from payments.models import Invoice, Order, PaymentAnomaly
from tests.concurrency import at_once, needs_postgresql
from tests.membership.factories import UnitMemberFactory
from tests.payments.helpers import dues_order, pay_by_wechat


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_clicks_on_pay_open_one_order_and_pay_once():
    needs_postgresql()
    member = UnitMemberFactory(state=Member.State.APPROVED)
    url = reverse("membership:dues")

    def click():
        client = Client()
        client.force_login(member.user)
        return client.post(url, {"invoice_email": "cw@clinic.cn", "invoice_mobile": "13700000001"}).status_code

    statuses = at_once(click, 20)
    assert statuses == [302] * 20
    order = Order.objects.get()
    pay_by_wechat(Client(), order)
    assert MembershipTerm.objects.count() == 1
    assert Invoice.objects.count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_open_order_for_one_payable():
    member = UnitMemberFactory(state=Member.State.APPROVED)
    order = dues_order(member)
    fields = {f.name: getattr(order, f.name) for f in Order._meta.concrete_fields if f.name not in ("id", "state")}
    fields["out_trade_no"] = "P-second"
    with pytest.raises(IntegrityError):
        Order.objects.create(**fields)


@pytest.mark.django_db
def test_no_order_opens_for_a_payable_that_waits_for_nothing():
    member = UnitMemberFactory(state=Member.State.SUBMITTED)
    with pytest.raises(NothingToPay):
        dues_order(member)
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_a_payment_for_a_payable_that_no_longer_waits_is_an_anomaly_not_a_second_term(client):
    member = UnitMemberFactory(state=Member.State.APPROVED)
    order = dues_order(member)
    # Staff revoke the membership while the order is still open; then the money arrives.
    Member.objects.filter(pk=member.pk).update(state=Member.State.REVOKED)
    assert pay_by_wechat(client, order).status_code == 204
    order.refresh_from_db()
    assert order.state == Order.State.PAID  # the money did arrive
    assert not MembershipTerm.objects.exists() and not Invoice.objects.exists()
    assert PaymentAnomaly.objects.get().kind == PaymentAnomaly.Kind.NOT_DUE


def test_payments_refuses_to_open_an_order_for_a_model_no_app_registered_as_payable():
    """payments knows a payable's workflow only through register_payable (payments.payable)."""
    from core.models import Message
    from payments.payable import payment_due

    with pytest.raises(LookupError, match="not a registered payable"):
        payment_due(Message())
