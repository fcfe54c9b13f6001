"""Confirmed lines become one numbered purchase order per supplier per member, sent to the
supplier; the supplier accepts, ships and records payment; the member confirms receipt or
reports a problem; each side sees only its own orders; the service fee is paid through
payments; staff read the round report and export it."""
import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from core.models import Message
from payments.models import Order
from purchasing.exceptions import OrderRefused
from purchasing.models import OrderProblem, PurchaseOrder, ServiceFee
from purchasing.orders import services
from purchasing.rounds.services import demand_set, rounds_close
from purchasing.suppliers.tests.helpers import approved, member, office_user, open_round, product
from tests.accounts.factories import UserFactory
from tests.payments.helpers import pay_by_wechat

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(django_capture_on_commit_callbacks):
    """Two suppliers' products in a closed round (fee 2 %); one member asked for both."""
    north, south = approved(), approved()
    resin, kit = product(north), product(south, name="器械盒", price="12.00", number="京械备20200012号")
    round_ = open_round([(resin, [(10, Decimal("90"))], 10), (kit, [(100, Decimal("10"))], 100)], fee=Decimal("2"))
    buyer, other = member(), member()
    items = {i.product_id: i for i in round_.items.all()}
    demand_set(round_id=round_.pk, user=buyer.user, quantities={items[resin.pk].pk: 12, items[kit.pk].pk: 100})
    demand_set(round_id=round_.pk, user=other.user, quantities={items[resin.pk].pk: 3})
    with time_machine.travel(round_.closes_at + dt.timedelta(minutes=1)):
        rounds_close(now=timezone.now())
    return round_, north, south, buyer, other


def test_a_confirmation_makes_one_order_per_supplier_sent_with_its_pdf(closed, django_capture_on_commit_callbacks):
    round_, north, south, buyer, _ = closed
    with django_capture_on_commit_callbacks(execute=True):
        orders = services.participation_confirm(round_id=round_.pk, user=buyer.user)
    by_supplier = {o.supplier_id: o for o in orders}
    assert set(by_supplier) == {north.pk, south.pk}
    assert by_supplier[north.pk].amount == Decimal("1080.00")  # 15 pooled ≥ 10: 12 × ¥90
    assert by_supplier[south.pk].amount == Decimal("1000.00")  # 100 × ¥10
    order = PurchaseOrder.objects.get(pk=by_supplier[north.pk].pk)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(order.pdf.read())).pages)
    assert order.number in text and buyer.name in text
    assert Message.objects.filter(recipient=north.user, subject=f"新的团购采购订单：{order.number}").exists()


def test_the_supplier_accepts_ships_and_records_payment_and_the_member_confirms_receipt(closed):
    round_, north, south, buyer, _ = closed
    order = next(o for o in services.participation_confirm(round_id=round_.pk, user=buyer.user)
                 if o.supplier_id == north.pk)
    with pytest.raises(OrderRefused, match="不是您的订单"):
        services.order_accept(order_id=order.pk, user=south.user)
    with pytest.raises(OrderRefused, match="不能进行此操作"):
        services.order_ship(order_id=order.pk, user=north.user, note="顺丰 SF123")  # not accepted yet
    services.order_accept(order_id=order.pk, user=north.user)
    with pytest.raises(OrderRefused, match="发货信息"):
        services.order_ship(order_id=order.pk, user=north.user, note="")
    services.order_ship(order_id=order.pk, user=north.user, note="顺丰 SF123")
    services.order_payment_received(order_id=order.pk, user=north.user)
    services.order_problem_report(order_id=order.pk, user=buyer.user, text="有两支包装破损")
    services.order_receive(order_id=order.pk, user=buyer.user)
    order.refresh_from_db()
    assert order.state == "received" and order.shipping_note == "顺丰 SF123" and order.payment_received_at
    assert OrderProblem.objects.get(order=order).text == "有两支包装破损"


def test_each_side_sees_only_its_own_orders(closed):
    round_, north, south, buyer, other = closed
    orders = services.participation_confirm(round_id=round_.pk, user=buyer.user)
    north_order = next(o for o in orders if o.supplier_id == north.pk)
    client = Client()
    client.force_login(other.user)
    assert client.get(reverse("purchasing:order", args=[north_order.pk])).status_code == 404
    assert north_order.number not in client.get(reverse("purchasing:my_orders")).content.decode()
    pdf = reverse("core:download", args=["purchasing.purchaseorder", north_order.pk, "pdf"])
    assert client.get(pdf).status_code == 404
    client.force_login(south.user)
    assert client.get(reverse("purchasing:supplier_order", args=[north_order.pk])).status_code == 404
    centre = client.get(reverse("purchasing:supplier_centre")).content.decode()
    assert north_order.number not in centre
    client.force_login(north.user)
    assert client.get(reverse("purchasing:supplier_order", args=[north_order.pk])).status_code == 200
    stranger = Client()
    stranger.force_login(UserFactory())
    assert stranger.get(reverse("purchasing:supplier_order", args=[north_order.pk])).status_code == 302


def test_the_window_end_charges_each_supplier_the_disclosed_fee_paid_through_payments(
        closed, django_capture_on_commit_callbacks):
    round_, north, south, buyer, _ = closed
    services.participation_confirm(round_id=round_.pk, user=buyer.user)
    round_.refresh_from_db()
    with time_machine.travel(timezone.make_aware(dt.datetime.combine(round_.confirm_by + dt.timedelta(days=1),
                                                                     dt.time(9)))):
        assert services.rounds_finish(now=timezone.now()) == 1
    fees = {f.supplier_id: f for f in ServiceFee.objects.all()}
    assert fees[north.pk].amount == Decimal("21.60") and fees[south.pk].amount == Decimal("20.00")
    client = Client()
    client.force_login(north.user)
    client.post(reverse("purchasing:fee_pay", args=[fees[north.pk].pk]),
                {"invoice_email": "n@example.cn", "invoice_mobile": north.contact_mobile})
    payment = Order.objects.get(object_id=fees[north.pk].pk)
    assert payment.amount == Decimal("21.60") and payment.payer == north.user
    with django_capture_on_commit_callbacks(execute=True):
        pay_by_wechat(Client(), payment)
    fees[north.pk].refresh_from_db()
    assert fees[north.pk].state == "paid"


def test_staff_read_the_round_report_and_export_it(closed):
    round_, north, _, buyer, _ = closed
    services.participation_confirm(round_id=round_.pk, user=buyer.user)
    staff = Client()
    staff.force_login(office_user())
    url = reverse("admin:purchasing_round_report", args=[round_.pk])
    page = staff.get(url).content.decode()
    assert "参与会员 2 家" in page and "参与供应商 2 家" in page and "合计节省 ¥" in page
    sheet = load_workbook(io.BytesIO(staff.get(url + "?format=xlsx").content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == ("产品", "供应商", "汇总数量", "达到档位", "结果", "挂牌价", "成交单价", "确认采购数量", "节省金额")
    resin = next(r for r in rows if r[0] and str(r[0]).startswith("复合树脂"))
    assert resin[2] == 15 and resin[7] == 12 and resin[8] == 120.0  # (100 − 90) × 12
    finance = UserFactory(is_staff=True)
    finance.groups.add(Group.objects.get(name="财务"))
    other_staff = Client()
    other_staff.force_login(finance)
    assert other_staff.get(url).status_code == 403 and other_staff.get(url + "?format=xlsx").status_code == 403
