import io
import threading

import pytest
import time_machine
from django.db import connection
from django.utils import timezone
from pypdf import PdfReader

from core.models import OutboxJob
from membership.models import Member, MembershipTerm
from payments import sandbox, services
from payments.models import Invoice, Order, PaymentAnomaly, ReceivedNotification, WechatNotification
from payments.tasks import apply_notification, apply_notifications
from tests.membership.factories import UnitMemberFactory
from tests.payments.helpers import NOTIFY_URL, deliver, dues_order, paid_trade, post_notification, start_wechat

pytestmark = pytest.mark.django_db


@pytest.fixture
def order():
    member = UnitMemberFactory(state=Member.State.APPROVED)
    return start_wechat(dues_order(member))


@pytest.fixture
def resource(order):
    return sandbox.transaction_resource(paid_trade(order))


def _pdf_text(field_file) -> str:
    with field_file.open("rb") as fh:
        return "".join(p.extract_text() for p in PdfReader(io.BytesIO(fh.read())).pages)


def _nothing_changed(order):
    order.refresh_from_db()
    assert order.state == Order.State.UNPAID
    assert not Invoice.objects.exists()
    assert not WechatNotification.objects.exists()


def test_a_good_notification_pays_once_and_makes_receipt_invoice_and_certificate(client, order, resource,
                                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(client, resource)
    assert response.status_code == 204
    order.refresh_from_db()
    assert order.state == Order.State.PAID
    assert order.transaction_id == resource["transaction_id"]

    member = Member.objects.get(pk=order.object_id)
    assert member.state == Member.State.ACTIVE
    assert member.member_no.startswith("DW")
    term = MembershipTerm.objects.get(member=member)
    assert term.certificate
    certificate_text = _pdf_text(term.certificate)
    assert member.name in certificate_text and term.certificate_no in certificate_text

    assert Invoice.objects.get(order=order).state == Invoice.State.PENDING  # the 会费票据 comes from finance
    receipt_text = _pdf_text(order.receipt.pdf)
    assert member.name in receipt_text and order.receipt.number in receipt_text and member.credit_code in receipt_text


def test_a_notification_is_answered_once_kept_and_paid_when_its_task_runs(client, order, resource,
                                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # no worker has run yet
        assert post_notification(client, resource).status_code == 204
    order.refresh_from_db()
    assert order.state == Order.State.UNPAID  # answered, kept, not yet applied
    received = ReceivedNotification.objects.get()
    assert received.resource["out_trade_no"] == order.out_trade_no and received.applied_at is None
    assert not OutboxJob.objects.exists()  # the kept row is its own outbox entry
    with django_capture_on_commit_callbacks(execute=True):
        assert apply_notification(received.pk) == "paid"
        assert apply_notification(received.pk) == "paid"  # run again (a resent job): nothing more happens
    order.refresh_from_db()
    received.refresh_from_db()
    assert order.state == Order.State.PAID and received.outcome == "paid" and received.applied_at
    assert WechatNotification.objects.count() == 1 and MembershipTerm.objects.count() == 1


def test_a_burst_sends_one_run_that_applies_every_kept_notification(client, order, resource, monkeypatch,
                                                                     django_capture_on_commit_callbacks):
    sent = []
    monkeypatch.setattr(services, "task_send", lambda name, *args, **options: sent.append((name, args, options)))
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):  # WeChat sends, then retries
            assert post_notification(client, resource).status_code == 204
    assert sent == [("payments.tasks.apply_notifications", (), {"countdown": 1})]  # one run for the burst
    assert apply_notifications() == 3
    order.refresh_from_db()
    assert order.state == Order.State.PAID and WechatNotification.objects.count() == 1
    assert sorted(ReceivedNotification.objects.values_list("outcome", flat=True)) == ["duplicate", "duplicate", "paid"]
    assert apply_notifications() == 0  # nothing left: a second run changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        assert post_notification(client, resource).status_code == 204
    assert len(sent) == 2  # kept after the run began: another run is sent


def test_a_notification_that_fails_to_apply_holds_up_no_other_payment(client, resource, monkeypatch):
    others = [start_wechat(dues_order(UnitMemberFactory(state="approved"))) for _ in range(2)]
    resources = [resource, *(sandbox.transaction_resource(paid_trade(order)) for order in others)]
    for each in resources:
        assert post_notification(client, each).status_code == 204
    broken = ReceivedNotification.objects.order_by("pk").first()  # the oldest: applied first
    applying = services.received_notification_apply

    def apply_or_fail(*, received_id):
        if received_id == broken.pk:
            raise RuntimeError("the database refused this one")
        return applying(received_id=received_id)
    monkeypatch.setattr(services, "received_notification_apply", apply_or_fail)
    assert apply_notifications() == 2
    assert [Order.objects.get(pk=o.pk).state for o in others] == [Order.State.PAID, Order.State.PAID]
    broken.refresh_from_db()
    assert broken.applied_at is None  # left for the resend scanner
    monkeypatch.setattr(services, "received_notification_apply", applying)
    assert apply_notifications() == 1 and ReceivedNotification.objects.filter(applied_at__isnull=True).count() == 0


def test_the_same_notification_twice_changes_nothing_the_second_time(client, order, resource,
                                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(client, resource).status_code == 204
        assert deliver(client, resource).status_code == 204
    assert WechatNotification.objects.count() == 1
    assert Invoice.objects.count() == 1
    assert MembershipTerm.objects.count() == 1
    assert not PaymentAnomaly.objects.exists()


def test_tampered_body_is_refused(client, order, resource):
    headers, body = sandbox.build_notification(resource)
    tampered = body.replace(b"TRANSACTION.SUCCESS", b"TRANSACTION.SUCCES5")
    response = client.post(NOTIFY_URL, data=tampered, content_type="application/json", headers=headers)
    assert response.status_code == 401
    _nothing_changed(order)


def test_signature_by_another_key_is_refused(client, order, resource):
    other_key = sandbox._pem(sandbox._new_private_key())
    assert deliver(client, resource, private_key_pem=other_key).status_code == 401
    _nothing_changed(order)


def test_unknown_serial_is_refused(client, order, resource):
    assert deliver(client, resource, serial="PUB_KEY_ID_SOMEONE_ELSE").status_code == 401
    _nothing_changed(order)


def test_signtest_probe_is_refused(client, order, resource):
    headers, body = sandbox.build_notification(resource)
    headers["Wechatpay-Signature"] = "WECHATPAY/SIGNTEST/" + headers["Wechatpay-Signature"]
    assert client.post(NOTIFY_URL, data=body, content_type="application/json", headers=headers).status_code == 401
    _nothing_changed(order)


def test_missing_headers_are_refused(client, order, resource):
    headers, body = sandbox.build_notification(resource)
    del headers["Wechatpay-Nonce"]
    assert client.post(NOTIFY_URL, data=body, content_type="application/json", headers=headers).status_code == 401
    _nothing_changed(order)


def test_resource_encrypted_with_another_apiv3_key_is_refused(client, order, resource):
    assert deliver(client, resource, apiv3_key="0" * 32).status_code == 401
    _nothing_changed(order)


@pytest.mark.parametrize("offset", [301, -301])
def test_timestamp_more_than_300_seconds_off_is_refused(client, order, resource, offset):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        response = deliver(client, resource, timestamp=int(now.timestamp()) + offset)
    assert response.status_code == 401
    _nothing_changed(order)


@pytest.mark.parametrize("offset", [299, -299])
def test_timestamp_within_300_seconds_is_accepted(client, order, resource, offset):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        response = deliver(client, resource, timestamp=int(now.timestamp()) + offset)
    assert response.status_code == 204
    order.refresh_from_db()
    assert order.state == Order.State.PAID


@pytest.mark.parametrize(
    ("change", "kind"),
    [
        ({"amount": {"total": 1, "payer_total": 1, "currency": "CNY", "payer_currency": "CNY"}}, "amount"),
        ({"mchid": "1999999999"}, "mchid"),
        ({"appid": "wx1111111111111111"}, "appid"),
        ({"amount": {"total": 200000, "payer_total": 200000, "currency": "USD", "payer_currency": "USD"}}, "currency"),
    ],
)
def test_a_mismatch_is_recorded_for_finance_and_never_pays(client, order, resource, change, kind):
    resource = {**resource, **change}
    assert deliver(client, resource).status_code == 204
    order.refresh_from_db()
    assert order.state == Order.State.UNPAID
    anomaly = PaymentAnomaly.objects.get()
    assert anomaly.kind == kind and anomaly.order == order
    assert not Invoice.objects.exists()


def test_an_unknown_out_trade_no_is_recorded_for_finance(client, order, resource):
    assert deliver(client, {**resource, "out_trade_no": "P20990101000000000000"}).status_code == 204
    assert PaymentAnomaly.objects.get().kind == "unknown_order"
    _nothing_changed(order)


def test_a_payment_after_the_order_was_closed_is_an_anomaly(client, order, resource):
    from payments.services import order_close

    order_close(order_id=order.pk, reason="测试关闭")
    assert deliver(client, resource).status_code == 204
    order.refresh_from_db()
    assert order.state == Order.State.CLOSED
    assert PaymentAnomaly.objects.get().kind == "paid_after_close"


def test_a_not_yet_successful_trade_is_ignored(client, order):
    trade = sandbox.SandboxTrade.objects.get(out_trade_no=order.out_trade_no)
    assert deliver(client, sandbox.transaction_resource(trade)).status_code == 204
    _nothing_changed(order)


@pytest.mark.django_db(transaction=True)
def test_two_notifications_at_once_pay_once(resource, order):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (CI runs on PostgreSQL)")
    from django.test import Client

    barrier = threading.Barrier(2)
    statuses = []

    def send():
        barrier.wait()
        statuses.append(deliver(Client(), resource).status_code)  # and each applies what was kept, at once
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [204, 204]
    assert Order.objects.get(pk=order.pk).state == Order.State.PAID
    assert WechatNotification.objects.count() == 1
    assert Invoice.objects.count() == 1
    assert MembershipTerm.objects.count() == 1
    assert not PaymentAnomaly.objects.exists()


@pytest.mark.parametrize("amount", ["12000", {"total": "12000", "currency": "CNY"}, {"total": 1.2e4, "currency": "CNY"},
                                    None, ["x"]])
def test_a_signed_notification_with_a_malformed_amount_is_an_anomaly_answered_2xx(client, order, resource, amount):
    resource = {**resource, "amount": amount}
    assert deliver(client, resource).status_code == 204  # WeChat stops retrying
    _nothing_changed(order)
    assert PaymentAnomaly.objects.filter(order=order, kind__in=["amount", "currency"]).exists()
