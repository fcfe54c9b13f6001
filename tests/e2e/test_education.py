"""学分继教 end to end in headless Chromium: the 继教办 files, approves and publishes a project in
the admin; a member and a non-member register and pay; both check in and out by opening the
rotating code's address; the scanner credits the project; a certificate downloads and the
public check confirms its number. Then the participant's pages on a 390 px phone."""
import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.utils import timezone
from pypdf import PdfReader
from selenium.webdriver.common.by import By

from core.deadlines import registered_scanners
from education.models import CreditCertificate, Project, Registration
from tests.accounts.factories import UserFactory
from tests.e2e.helpers import click, download, fill, login, submit, wait_for, wait_for_on_reload, wait_text
from tests.membership.factories import IndividualMemberFactory, id_number

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _notify_the_live_server(settings, live_server):
    settings.WECHATPAY_NOTIFY_URL = live_server.url + "/payments/wechat/notify/"


def _admin_step(browser, live_server, project, label):
    browser.get(f"{live_server.url}/admin/education/project/{project.pk}/change/")
    click(browser, browser.find_element(By.LINK_TEXT, label))
    submit(browser, f"确认{label}")
    wait_for(browser, ".messagelist .success")


def _file_a_project(browser, live_server, starts, ends) -> Project:
    browser.get(live_server.url + "/admin/education/project/add/")
    local_start, local_end = timezone.localtime(starts), timezone.localtime(ends)
    fill(browser, {
        "number": f"{local_start:%Y}-14-01-088(国)", "title": "口腔急诊处置能力提升班", "level": "national",
        "credit_class": "1", "credit_value": "1", "organiser": "中国非公立医疗机构协会口腔分会", "head": "王兴",
        "starts_on": f"{local_start:%Y-%m-%d}", "ends_on": f"{local_end:%Y-%m-%d}", "mode": "onsite",
        "place": "北京市朝阳区国家会议中心", "capacity": "50", "fee": "100", "member_fee": "60",
        "sessions-0-title": "急诊处置理论与演练", "sessions-0-starts_at_0": f"{local_start:%Y-%m-%d}",
        "sessions-0-starts_at_1": f"{local_start:%H:%M:%S}", "sessions-0-ends_at_0": f"{local_end:%Y-%m-%d}",
        "sessions-0-ends_at_1": f"{local_end:%H:%M:%S}", "sessions-0-hours": "3",
    })
    submit(browser, "保存并继续编辑")
    wait_for(browser, ".messagelist .success")
    project = Project.objects.get(title="口腔急诊处置能力提升班")
    for label in ("提交备案", "审批通过", "发布并开放报名"):
        _admin_step(browser, live_server, project, label)
    project.refresh_from_db()
    assert project.state == Project.State.OPEN
    return project


def _register_and_pay(browser, live_server, project, user, expected_price):
    login(browser, live_server.url, user.mobile)
    browser.get(live_server.url + "/education/")
    click(browser, browser.find_element(By.LINK_TEXT, project.title))
    click(browser, browser.find_element(By.LINK_TEXT, "我要报名"))
    wait_text(browser, "[data-testid=price]", f"¥{expected_price}")
    fill(browser, {"name": user.name, "id_number": id_number(user.pk), "unit": "北京某口腔诊所", "title": "主治医师",
                   "mobile": user.mobile, "email": user.email})
    submit(browser, "提交报名并缴费")
    wait_for(browser, "[data-testid=invoice-title]")
    submit(browser, "提交")
    click(browser, browser.find_element(By.LINK_TEXT, "微信扫码支付"))
    submit(browser, "模拟扫码付款（沙箱）")
    wait_text(browser, "[data-testid=registration-state]", "已报名", timeout=30)


def _scan_url(browser, live_server, office, session, phase) -> str:
    login(browser, live_server.url, office.mobile)
    browser.get(f"{live_server.url}/education/sessions/{session.pk}/checkin/{phase}/")
    return wait_for(browser, "[data-testid=checkin-qr]").get_attribute("data-scan-url")


def _on(live_server, url: str) -> str:
    """The code's address (on SITE_URL) on the test's live server."""
    return live_server.url + url[url.index("/education/"):]


def _scan(browser, live_server, user, url, label):
    login(browser, live_server.url, user.mobile)
    browser.get(_on(live_server, url))
    submit(browser, f"确认{label}")
    wait_for(browser, ".alert-success")


def test_file_register_pay_scan_credit_and_check_a_certificate(browser, live_server):
    office = UserFactory(mobile="13800009101", is_staff=True, name="继教办老师")
    office.groups.add(Group.objects.get(name="继教办"))
    member = IndividualMemberFactory(state="active").user
    outsider = UserFactory(name="何静")
    starts = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=10)
    ends = starts + dt.timedelta(hours=3)

    login(browser, live_server.url, office.mobile)
    project = _file_a_project(browser, live_server, starts, ends)
    session = project.sessions.get()

    _register_and_pay(browser, live_server, project, member, "60")
    _register_and_pay(browser, live_server, project, outsider, "100")
    assert sorted(Registration.objects.values_list("fee", flat=True)) == [Decimal("60"), Decimal("100")]

    check_in = _scan_url(browser, live_server, office, session, "in")
    for person in (member, outsider):
        _scan(browser, live_server, person, check_in, "签到")
    # Scanning the same code again is refused, and nothing more is recorded.
    browser.get(_on(live_server, check_in))
    submit(browser, "确认签到")
    wait_text(browser, "[data-testid=scan-refusal]", "无需重复签到")

    with time_machine.travel(ends - dt.timedelta(minutes=5)):
        check_out = _scan_url(browser, live_server, office, session, "out")
        for person in (member, outsider):
            _scan(browser, live_server, person, check_out, "签退")
    next_morning = timezone.make_aware(dt.datetime.combine(timezone.localtime(ends).date() + dt.timedelta(days=1),
                                                           dt.time(8)))
    with time_machine.travel(next_morning):
        assert registered_scanners()["education.credit_projects"](timezone.now()) == 1

    login(browser, live_server.url, member.mobile)
    registration = Registration.objects.get(user=member)
    browser.get(f"{live_server.url}/education/registrations/{registration.pk}/")
    link = wait_for_on_reload(browser, "[data-testid=certificate]")
    response = download(browser, link.get_attribute("href"))
    certificate = CreditCertificate.objects.get(award__registration=registration)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert certificate.number in text and "授予学分 1.0 分" in text

    browser.get(live_server.url + "/certificates/check/")
    fill(browser, {"no": certificate.number})
    submit(browser, "查询")
    wait_text(browser, "main", "继续医学教育学分证书")
    assert "有效" in browser.find_element(By.TAG_NAME, "main").text

    # The participant's pages fit a phone: no sideways scrolling.
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": True})
    for path in ("/education/", f"/education/projects/{project.pk}/", "/education/registrations/",
                 f"/education/registrations/{registration.pk}/", f"/education/credits/?year={certificate.award.year}",
                 _on(live_server, check_in)[len(live_server.url):]):
        browser.get(live_server.url + path)
        width = browser.execute_script("return document.documentElement.clientWidth")
        assert browser.execute_script("return document.documentElement.scrollWidth") <= width, path
    browser.get(f"{live_server.url}/education/credits/?year={certificate.award.year}")
    wait_text(browser, "[data-testid=certificates]", certificate.number)
    assert browser.find_element(By.CSS_SELECTOR, ".progress-bar").is_displayed()
