import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from membership.models import Member, MembershipTerm
from payments import sandbox, services
from payments.exceptions import TransferRefused
from payments.models import BankTransfer, Invoice, Order, PaymentAnomaly
from tests.accounts.factories import UserFactory
from tests.core.files import jpeg_bytes, upload
from tests.membership.factories import IndividualMemberFactory, UnitMemberFactory
from tests.payments.helpers import dues_order, login, pay_by_wechat, start_wechat

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return UnitMemberFactory(state=Member.State.APPROVED)


def _transfer_form(**overrides):
    data = {"account_name": "北京第1口腔门诊部有限公司", "amount": "2000.00",
            "transferred_on": timezone.localdate().isoformat(), "voucher": upload("回单.jpg", jpeg_bytes())}
    data.update(overrides)
    return data


def test_invoice_info_title_is_fixed_to_the_registered_name_and_code(client, member):
    login(client, member.user)
    response = client.get(reverse("membership:dues"))
    html = response.content.decode()
    assert member.name in html and member.credit_code in html
    assert 'name="invoice_title"' not in html  # not editable
    response = client.post(reverse("membership:dues"), {"invoice_email": "cw@clinic.cn", "invoice_mobile": "13700000001"})
    order = Order.objects.get()
    assert response["Location"] == reverse("payments:pay", args=[order.out_trade_no])
    assert (order.invoice_title, order.invoice_tax_id) == (member.name, member.credit_code)
    assert (order.invoice_email, order.invoice_mobile) == ("cw@clinic.cn", "13700000001")


def test_individual_invoice_title_is_the_persons_name():
    person = IndividualMemberFactory()
    order = dues_order(person)
    assert (order.invoice_title, order.invoice_tax_id) == (person.name, "")


def test_one_payable_has_one_open_order(member):
    assert dues_order(member).pk == dues_order(member).pk
    assert Order.objects.count() == 1


def test_transfer_voucher_goes_to_finance(client, member):
    order = dues_order(member)
    login(client, member.user)
    client.post(reverse("payments:transfer", args=[order.out_trade_no]), _transfer_form(account_name=member.name))
    order.refresh_from_db()
    assert order.state == Order.State.AWAITING_VERIFICATION
    transfer = BankTransfer.objects.get()
    assert not transfer.amount_mismatch and transfer.voucher_name == "回单.jpg"


def test_a_voucher_from_another_unit_is_refused_at_the_field_and_nothing_is_lost(client, member):
    order = dues_order(member)
    login(client, member.user)
    response = client.post(reverse("payments:transfer", args=[order.out_trade_no]),
                           _transfer_form(account_name="别的公司"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "不支持其它单位代缴" in html.split('data-field="account_name"')[1].split("data-field=")[0]
    assert 'value="别的公司"' in html
    order.refresh_from_db()
    assert order.state == Order.State.UNPAID
    assert not BankTransfer.objects.exists()


def test_the_service_refuses_another_payer_even_without_the_form(member):
    order = dues_order(member)
    with pytest.raises(TransferRefused):
        services.order_submit_transfer(order_id=order.pk, by=member.user, voucher=upload("a.jpg", jpeg_bytes()),
                                       account_name="代缴公司", amount=Decimal("2000.00"),
                                       transferred_on=timezone.localdate(), registered_name=member.name)


def test_finance_cannot_verify_money_from_another_payer_on_the_statement(member):
    order = dues_order(member)
    services.order_submit_transfer(order_id=order.pk, by=member.user, voucher=upload("a.jpg", jpeg_bytes()),
                                   account_name=member.name, amount=Decimal("2000.00"),
                                   transferred_on=timezone.localdate(), registered_name=member.name)
    with pytest.raises(TransferRefused, match="原路退回"):
        services.order_verify_transfer(order_id=order.pk, by=UserFactory(is_staff=True), statement_payer="某某投资公司")
    order.refresh_from_db()
    member.refresh_from_db()
    assert order.state == Order.State.AWAITING_VERIFICATION
    assert member.state == Member.State.APPROVED


def test_a_disguised_voucher_is_refused_and_the_typed_fields_are_kept(client, member):
    order = dues_order(member)
    login(client, member.user)
    response = client.post(reverse("payments:transfer", args=[order.out_trade_no]),
                           _transfer_form(voucher=upload("回单.jpg", b"<html>not an image</html>")))
    html = response.content.decode()
    assert response.status_code == 200
    assert "不是有效的 JPG 文件" in html.split('data-field="voucher"')[1].split("data-field=")[0]
    assert 'value="北京第1口腔门诊部有限公司"' in html
    order.refresh_from_db()
    assert order.state == Order.State.UNPAID


def test_finance_verifies_a_transfer_then_the_member_is_active_with_invoice_and_certificate(
    member, django_capture_on_commit_callbacks
):
    order = dues_order(member)
    finance = UserFactory(is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.order_submit_transfer(order_id=order.pk, by=member.user, voucher=upload("a.jpg", jpeg_bytes()),
                                       account_name=member.name, amount=Decimal("2000.00"),
                                       transferred_on=timezone.localdate(), registered_name=member.name)
        member.refresh_from_db()
        assert member.state == Member.State.APPROVED  # not before finance
        services.order_verify_transfer(order_id=order.pk, by=finance, statement_payer=f" {member.name} ")
    member.refresh_from_db()
    assert member.state == Member.State.ACTIVE
    assert MembershipTerm.objects.get(member=member).certificate
    invoice = Invoice.objects.get(order=order)  # dues wait for the 会费票据 finance records
    assert (invoice.kind, invoice.state) == (Invoice.Kind.DUES_RECEIPT, Invoice.State.PENDING)
    assert order.receipt.pdf
    transfer = BankTransfer.objects.get()
    assert transfer.decision == BankTransfer.Decision.VERIFIED and transfer.statement_payer == member.name


def test_finance_rejects_a_transfer_with_a_reason_the_payer_sees(client, member, django_capture_on_commit_callbacks):
    order = dues_order(member)
    services.order_submit_transfer(order_id=order.pk, by=member.user, voucher=upload("a.jpg", jpeg_bytes()),
                                   account_name=member.name, amount=Decimal("2000.00"),
                                   transferred_on=timezone.localdate(), registered_name=member.name)
    with django_capture_on_commit_callbacks(execute=True):
        services.order_reject_transfer(order_id=order.pk, by=UserFactory(is_staff=True), reason="未查到该笔到账")
    order.refresh_from_db()
    assert order.state == Order.State.UNPAID
    login(client, member.user)
    assert "未查到该笔到账" in client.get(reverse("payments:order_detail", args=[order.out_trade_no])).content.decode()
    assert member.user.messages.filter(subject="转账凭证未通过核实").exists()


def test_rejecting_without_a_reason_is_refused(member):
    order = dues_order(member)
    with pytest.raises(TransferRefused):
        services.order_reject_transfer(order_id=order.pk, by=UserFactory(), reason="  ")


def test_finance_uses_the_admin_buttons_and_membership_staff_cannot(client, member):
    order = dues_order(member)
    services.order_submit_transfer(order_id=order.pk, by=member.user, voucher=upload("a.jpg", jpeg_bytes()),
                                   account_name=member.name, amount=Decimal("2000.00"),
                                   transferred_on=timezone.localdate(), registered_name=member.name)
    url = reverse("admin:payments_order_transition", args=[order.pk, "verify"])
    staff = UserFactory(is_staff=True)
    staff.groups.add(Group.objects.get(name="会员部"))
    login(client, staff)
    assert client.post(url).status_code == 403
    client.logout()

    finance = UserFactory(is_staff=True)
    finance.groups.add(Group.objects.get(name="财务"))
    login(client, finance)
    change = client.get(reverse("admin:payments_order_change", args=[order.pk])).content.decode()
    assert "核实到账" in change and "⚠" not in change
    form = client.get(url).content.decode()
    assert "银行流水显示的付款户名" in form
    client.post(url, {"statement_payer": member.name})
    order.refresh_from_db()
    assert order.state == Order.State.PAID
    response = client.post(url, {"statement_payer": member.name}, follow=True)  # a second click is refused with a message
    assert "当前状态不允许此操作" in response.content.decode()


def test_reconcile_applies_a_lost_notification_and_closes_expired_orders(member):
    order = start_wechat(dues_order(member))
    sandbox.sandbox_pay(out_trade_no=order.out_trade_no)
    other = dues_order(UnitMemberFactory(state=Member.State.APPROVED))
    later = timezone.now() + dt.timedelta(hours=100)
    assert services.orders_reconcile(now=later) == 2
    assert services.orders_reconcile(now=later) == 0
    order.refresh_from_db()
    other.refresh_from_db()
    assert order.state == Order.State.PAID and order.notifications.get().source == "query"
    assert other.state == Order.State.CLOSED and "超过支付期限" in other.close_reason


def test_reconcile_leaves_recent_orders_alone(member):
    order = start_wechat(dues_order(member))
    sandbox.sandbox_pay(out_trade_no=order.out_trade_no)
    assert services.orders_reconcile() == 0
    assert not PaymentAnomaly.objects.exists()


def test_the_payment_page_can_poll_its_order_until_paid(client, member, django_capture_on_commit_callbacks):
    order = start_wechat(dues_order(member))
    login(client, member.user)
    url = reverse("payments:status", args=[order.out_trade_no])
    assert client.get(url).json() == {"state": "unpaid", "state_display": "待支付", "next_url": ""}
    page = client.get(reverse("payments:wechat", args=[order.out_trade_no])).content.decode()
    assert f'data-status-url="{url}"' in page and "payment-status.js" in page and "<svg" in page
    with django_capture_on_commit_callbacks(execute=True):
        pay_by_wechat(client, order)
    assert client.get(url).json()["next_url"] == reverse("membership:centre")
    response = client.get(reverse("payments:wechat", args=[order.out_trade_no]))
    assert response["Location"] == reverse("membership:centre")


def test_the_sandbox_scan_is_not_there_when_the_sandbox_is_off(client, member, settings):
    order = start_wechat(dues_order(member))
    settings.WECHATPAY_SANDBOX = False
    login(client, member.user)
    assert client.post(reverse("payments:sandbox_scan", args=[order.out_trade_no])).status_code == 404
