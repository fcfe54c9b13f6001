"""医药产品团购 end to end in headless Chromium: a supplier applies and is approved, lists two
products; the 团购办 opens a round; three members enter quantities and the tier moves; the
scanner closes the round; two members confirm and one withdraws; the orders reach the supplier,
who accepts and ships; a member confirms receipt."""
import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.utils import timezone
from selenium.webdriver.common.by import By

from core import sms
from core.deadlines import registered_scanners
from core.identifiers import credit_code_check_char
from purchasing.models import Participation, PurchaseOrder, Round, Supplier
from tests.accounts.factories import UserFactory
from tests.core.files import pdf_bytes
from tests.e2e.helpers import click, fill, login, submit, temp_file, wait_for, wait_text
from tests.membership.factories import UnitMemberFactory

pytestmark = pytest.mark.django_db(transaction=True)
SUPPLIER_MOBILE, PASSWORD = "13755557777", "Kangda-Supplier-2026!"


def _apply_as_supplier(browser, live_server):
    browser.delete_all_cookies()
    browser.get(live_server.url + "/purchasing/")
    click(browser, browser.find_element(By.LINK_TEXT, "申请入驻"))
    first17 = "91110105000777777"
    fill(browser, {"name": "北京康达口腔器材有限公司", "credit_code": first17 + credit_code_check_char(first17),
                   "contact_name": "张强", "contact_mobile": SUPPLIER_MOBILE, "address": "北京市朝阳区",
                   "device_permit_number": "京朝药监械经营许20200077号", "device_permit_expires": "2030-12-31",
                   "mobile": SUPPLIER_MOBILE})
    submit(browser, "获取验证码")
    wait_text(browser, "[data-testid=sms-notice]", "验证码已发送")
    code = re.search(r"验证码为 (\d{6})", next(t for to, t in reversed(sms.outbox) if to == SUPPLIER_MOBILE))[1]
    fill(browser, {"code": code, "email": "kangda@example.cn", "password1": PASSWORD, "password2": PASSWORD})
    browser.find_element(By.NAME, "business_file").send_keys(temp_file("营业执照.pdf", pdf_bytes()))
    browser.find_element(By.NAME, "device_permit_file").send_keys(temp_file("医疗器械经营许可证.pdf", pdf_bytes()))
    submit(browser, "提交申请")
    wait_text(browser, "[data-testid=supplier-state]", "待审核")


def _admin_button(browser, live_server, path, label):
    browser.get(live_server.url + path)
    click(browser, browser.find_element(By.LINK_TEXT, label))
    submit(browser, f"确认{label}")
    wait_for(browser, ".messagelist .success")


def _list_product(browser, live_server, values):
    browser.get(live_server.url + "/purchasing/supplier/products/add/")
    fill(browser, values)
    submit(browser, "发布产品")
    wait_for(browser, ".alert-success")


def _open_round(browser, live_server, products) -> Round:
    now = timezone.localtime()
    opens, closes = now - dt.timedelta(minutes=5), now + dt.timedelta(hours=1)
    browser.get(live_server.url + "/admin/purchasing/round/add/")
    fill(browser, {
        "title": "口腔耗材团购（测试）", "opens_at_0": f"{opens:%Y-%m-%d}", "opens_at_1": f"{opens:%H:%M:%S}",
        "closes_at_0": f"{closes:%Y-%m-%d}", "closes_at_1": f"{closes:%H:%M:%S}", "service_fee_percent": "1",
        "items-0-product": str(products[0].pk), "items-0-tier_text": "50 150.00\n100 138.00",
        "items-0-minimum_quantity": "30",
        "items-1-product": str(products[1].pk), "items-1-tier_text": "500 10.50", "items-1-minimum_quantity": "300",
    })
    submit(browser, "保存并继续编辑")
    wait_for(browser, ".messagelist .success")
    round_ = Round.objects.get(title="口腔耗材团购（测试）")
    _admin_button(browser, live_server, f"/admin/purchasing/round/{round_.pk}/change/", "发布团购活动")
    return round_


def _enter(browser, live_server, member, round_, quantities, expected_pooled, expected_price):
    login(browser, live_server.url, member.user.mobile)
    browser.get(f"{live_server.url}/purchasing/rounds/{round_.pk}/")
    items = list(round_.items.order_by("pk"))
    fill(browser, {f"q{item.pk}": str(q) for item, q in zip(items, quantities, strict=True)})
    submit(browser, "保存采购数量")
    wait_text(browser, f"[data-testid=pooled-{items[0].pk}]", f"当前汇总：{expected_pooled}")
    assert f"单价 ¥{expected_price}" in browser.find_element(By.CSS_SELECTOR, f"[data-testid=pooled-{items[0].pk}]").text


def _answer(browser, live_server, member, round_, label):
    login(browser, live_server.url, member.user.mobile)
    browser.get(f"{live_server.url}/purchasing/rounds/{round_.pk}/")
    submit(browser, label)
    wait_for(browser, ".alert-success, .alert-info")


def test_supplier_round_orders_and_receipt(browser, live_server):
    office = UserFactory(mobile="13800009201", is_staff=True, name="团购办老师")
    office.groups.add(Group.objects.get(name="团购办"))
    members = [UnitMemberFactory(state="active") for _ in range(3)]

    _apply_as_supplier(browser, live_server)
    supplier = Supplier.objects.get(user__mobile=SUPPLIER_MOBILE)
    login(browser, live_server.url, office.mobile)
    _admin_button(browser, live_server, f"/admin/purchasing/supplier/{supplier.pk}/change/", "审核通过")

    login(browser, live_server.url, SUPPLIER_MOBILE, PASSWORD)
    _list_product(browser, live_server, {"category": "material", "name": "光固化复合树脂", "specification": "A2 4g",
                                         "unit": "支", "brand": "3M", "manufacturer": "3M 中国有限公司",
                                         "registration_no": "国械注进20182170045", "list_price": "168.00"})
    _list_product(browser, live_server, {"category": "consumable", "name": "一次性口腔器械盒", "specification": "基础型",
                                         "unit": "盒", "brand": "康达", "manufacturer": "北京康达医疗器械有限公司",
                                         "registration_no": "京械备20200012号", "list_price": "12.00"})
    products = list(supplier.products.order_by("pk"))

    login(browser, live_server.url, office.mobile)
    round_ = _open_round(browser, live_server, products)

    _enter(browser, live_server, members[0], round_, (30, 200), 30, "168.00")
    _enter(browser, live_server, members[1], round_, (25, 200), 55, "150.00")  # the first tier is reached
    _enter(browser, live_server, members[2], round_, (50, 0), 105, "138.00")  # and the second

    with time_machine.travel(round_.closes_at + dt.timedelta(minutes=1)):
        assert registered_scanners()["purchasing.close_rounds"](timezone.now()) == 1

    _answer(browser, live_server, members[0], round_, "确认采购")
    _answer(browser, live_server, members[1], round_, "确认采购")
    _answer(browser, live_server, members[2], round_, "放弃")
    assert sorted(Participation.objects.values_list("decision", flat=True)) == ["confirmed", "confirmed", "withdrawn"]
    assert PurchaseOrder.objects.count() == 2

    order = PurchaseOrder.objects.get(member=members[0])
    login(browser, live_server.url, SUPPLIER_MOBILE, PASSWORD)
    browser.get(live_server.url + "/purchasing/supplier/")
    click(browser, browser.find_element(By.PARTIAL_LINK_TEXT, order.number))
    submit(browser, "接单")
    wait_text(browser, "[data-testid=order-state]", "供应商已接单")
    fill(browser, {"note": "顺丰速运 SF1234567890"})
    submit(browser, "确认发货")
    wait_text(browser, "[data-testid=order-state]", "已发货")

    login(browser, live_server.url, members[0].user.mobile)
    browser.get(live_server.url + "/purchasing/orders/")
    click(browser, browser.find_element(By.PARTIAL_LINK_TEXT, order.number))
    submit(browser, "确认收货")
    wait_text(browser, "[data-testid=order-state]", "已收货")

    # The member's pages fit a phone: no sideways scrolling.
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": True})
    for path in ("/purchasing/", f"/purchasing/rounds/{round_.pk}/", "/purchasing/orders/",
                 f"/purchasing/orders/{order.pk}/"):
        browser.get(live_server.url + path)
        width = browser.execute_script("return document.documentElement.clientWidth")
        assert browser.execute_script("return document.documentElement.scrollWidth") <= width, path
