"""The two membership journeys, end to end in headless Chromium."""
import io
import re

import pytest
from django.contrib.auth.models import Group
from pypdf import PdfReader
from selenium.webdriver.common.by import By

from core import sms
from membership.models import Member
from payments.models import Invoice, Receipt
from tests.accounts.factories import UserFactory
from tests.core.files import jpeg_bytes, pdf_bytes, png_bytes
from tests.e2e.helpers import (
    click,
    download,
    eventually,
    fill,
    login,
    submit,
    temp_file,
    wait_for,
    wait_for_on_reload,
    wait_text,
)
from tests.membership.factories import IndividualTypeFactory, UnitTypeFactory, credit_code, id_number

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _notify_the_live_server(settings, live_server):
    settings.WECHATPAY_NOTIFY_URL = live_server.url + "/payments/wechat/notify/"


def _staff(group, mobile):
    user = UserFactory(mobile=mobile, is_staff=True, name=f"{group}老师")
    user.groups.add(Group.objects.get(name=group))
    return user


def _admin_transition(browser, live_server, member, label):
    browser.get(f"{live_server.url}/admin/membership/member/{member.pk}/change/")
    click(browser, browser.find_element(By.LINK_TEXT, label))
    submit(browser, f"确认{label}")
    wait_for(browser, ".messagelist .success")


def test_unit_registration_approval_wechat_payment_and_certificate(browser, live_server):
    UnitTypeFactory(name="会员单位")
    staff = _staff("会员部", "13800009001")
    browser.get(live_server.url + "/")
    click(browser, browser.find_element(By.LINK_TEXT, "入会申请"))

    click(browser, browser.find_element(By.XPATH, "//label[contains(., '会员单位')]//input"))
    submit(browser, "下一步")
    click(browser, browser.find_element(By.NAME, "agree"))
    submit(browser, "马上申请")

    fill(browser, {"name": "深圳市某某口腔门诊部有限公司", "credit_code": credit_code(9001),
                   "institution_type": "outpatient", "licence_no": "PDY440300", "legal_representative": "何伟",
                   "address": "深圳市南山区科技园 1 号", "opened_on": "2014-09-01", "beds": "0", "dental_chairs": "16"})
    browser.find_element(By.NAME, "practising_licence").send_keys(temp_file("执业许可证.pdf", pdf_bytes()))
    browser.find_element(By.NAME, "business_licence").send_keys(temp_file("营业执照.jpg", jpeg_bytes()))
    submit(browser, "下一步")
    fill(browser, {"name": "何敏", "position": "行政主管", "mobile": "13722223333", "email": "hemin@sz-clinic.cn"})
    submit(browser, "下一步")
    _prove_mobile(browser, "13722224444")
    fill(browser, {"email": "admin@sz-clinic.cn", "password1": "Sz-Clinic-2026!", "password2": "Sz-Clinic-2026!"})
    submit(browser, "提交注册")
    wait_text(browser, "main", "入会注册成功")
    click(browser, browser.find_element(By.LINK_TEXT, "前往会员中心"))
    wait_text(browser, "[data-testid=member-state]", "待审核")

    member = Member.objects.get(name="深圳市某某口腔门诊部有限公司")
    login(browser, live_server.url, staff.mobile)
    _admin_transition(browser, live_server, member, "审核通过")

    login(browser, live_server.url, "13722224444", "Sz-Clinic-2026!")
    browser.get(live_server.url + "/member/")
    click(browser, browser.find_element(By.LINK_TEXT, "去缴费"))
    wait_text(browser, "[data-testid=invoice-title]", "深圳市某某口腔门诊部有限公司")
    submit(browser, "提交")
    click(browser, browser.find_element(By.LINK_TEXT, "微信扫码支付"))
    assert browser.find_element(By.CSS_SELECTOR, ".qr-code svg")
    submit(browser, "模拟扫码付款（沙箱）")
    # The page polls the order and moves on by itself once WeChat's notification arrived.
    wait_text(browser, "[data-testid=member-state]", "有效", timeout=30)

    # The certificate is made by its own background task, which may finish after the page was
    # served: the page then says 证书生成中，请稍后刷新, and a refresh shows the link.
    link = wait_for_on_reload(browser, "[data-testid=certificate-download]")
    response = download(browser, link.get_attribute("href"))
    assert response.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    member.refresh_from_db()
    assert "深圳市某某口腔门诊部有限公司" in text and member.member_no in text
    # The receipt is drawn by its own background task; the 会费票据 waits for finance.
    drawn = eventually(lambda: bool(Receipt.objects.get(order__payer=member.user).pdf), True)
    assert drawn and Invoice.objects.get(order__payer=member.user).kind == Invoice.Kind.DUES_RECEIPT


def _prove_mobile(browser, mobile):
    """获取验证码, then type the code the phone received."""
    fill(browser, {"mobile": mobile})
    submit(browser, "获取验证码")
    wait_text(browser, "[data-testid=sms-notice]", "验证码已发送")
    code = re.search(r"验证码为 (\d{6})", next(text for to, text in reversed(sms.outbox) if to == mobile))[1]
    fill(browser, {"code": code})


def test_individual_registration_bank_transfer_and_finance_verification(browser, live_server):
    IndividualTypeFactory(name="个人会员")
    finance = _staff("财务", "13800009002")
    browser.get(live_server.url + "/join/")
    click(browser, browser.find_element(By.XPATH, "//label[contains(., '个人会员')]//input"))
    submit(browser, "下一步")
    click(browser, browser.find_element(By.NAME, "agree"))
    submit(browser, "马上申请")
    fill(browser, {"name": "钱佳", "gender": "female", "id_number": id_number(321), "title": "副主任医师",
                   "employer": "浙江大学医学院附属口腔医院", "specialty": "牙体牙髓"})
    browser.find_element(By.NAME, "photo").send_keys(temp_file("照片.png", png_bytes()))
    submit(browser, "下一步")
    _prove_mobile(browser, "13755556666")
    fill(browser, {"email": "qianjia@example.cn", "password1": "Qian-Jia-2026!", "password2": "Qian-Jia-2026!"})
    submit(browser, "提交注册")

    # Straight to payment: invoice information first, the title fixed to her name.
    wait_text(browser, "[data-testid=invoice-title]", "钱佳")
    submit(browser, "提交")
    click(browser, browser.find_element(By.LINK_TEXT, "上传转账凭证"))
    fill(browser, {"account_name": "钱佳", "transferred_on": "2026-11-20"})
    browser.find_element(By.NAME, "voucher").send_keys(temp_file("回单.jpg", jpeg_bytes()))
    submit(browser, "提交凭证")
    wait_text(browser, ".alert-success", "财务核实")
    member = Member.objects.get(name="钱佳")
    assert member.state == Member.State.APPROVED

    login(browser, live_server.url, finance.mobile)
    order = member.user.orders.get()
    browser.get(f"{live_server.url}/admin/payments/order/{order.pk}/change/")
    click(browser, browser.find_element(By.LINK_TEXT, "核实到账"))
    fill(browser, {"statement_payer": "钱佳"})  # as the bank statement shows it
    submit(browser, "确认核实到账")
    wait_for(browser, ".messagelist .success")

    login(browser, live_server.url, "13755556666", "Qian-Jia-2026!")
    browser.get(live_server.url + "/member/")
    wait_text(browser, "[data-testid=member-state]", "有效")
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=certificate-download]")
