"""The credit evaluation from agreeing to the regulation to the certificate, in Chromium;
the office works in the admin, the evaluator in the workbench, and the clocks run out
through the deadline scanner."""
import io

import pytest
from pypdf import PdfReader
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from evaluation.deadlines import act_on_clocks
from evaluation.models import Evaluation
from experts.committees.tests import helpers as m
from membership.models import Member
from tests.core.files import pdf_bytes
from tests.e2e.helpers import click, download, fill, login, submit, temp_file, wait_for, wait_text
from tests.evaluation import helpers as h
from tests.membership.factories import UnitMemberFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _notify_the_live_server(settings, live_server):
    settings.WECHATPAY_NOTIFY_URL = live_server.url + "/payments/wechat/notify/"


def _admin_step(browser, base, evaluation, label, values=None, files=None):
    browser.get(f"{base}/admin/evaluation/evaluation/{evaluation.pk}/change/")
    click(browser, browser.find_element(By.LINK_TEXT, label))
    if values:
        fill(browser, values)
    for name, path in (files or {}).items():
        browser.find_element(By.NAME, name).send_keys(path)
    submit(browser, f"确认{label}")
    wait_for(browser, ".messagelist .success")


def test_credit_evaluation_from_agreement_to_certificate(browser, live_server):
    base = live_server.url
    programme = h.credit()
    member = UnitMemberFactory(state=Member.State.ACTIVE, name="苏州某某口腔门诊部有限公司")
    office = h.office()
    evaluator = h.evaluator(name="信评师 周")

    # The institution agrees to the regulation and submits its documents.
    login(browser, base, member.user.mobile)
    browser.get(base + "/evaluation/")
    click(browser, browser.find_element(By.LINK_TEXT, "社会信用评价"))
    click(browser, browser.find_element(By.NAME, "agree"))
    for box in browser.find_elements(By.NAME, "declarations"):
        click(browser, box)
    submit(browser, "马上申请")
    # Files chosen in every row go up with one press of 提交.
    for document in programme.documents.all():
        row = wait_for(browser, f"tr[data-document='{document.name}']")
        row.find_element(By.NAME, f"file_{document.pk}").send_keys(temp_file(f"{document.name}.pdf", pdf_bytes()))
    fill(browser, {"handler_name": "苏经办", "handler_mobile": "13711112222"})
    submit(browser, "提交")
    wait_text(browser, "[data-testid=evaluation-state]", "待受理")
    evaluation = Evaluation.objects.get(member=member)

    # The office accepts.
    login(browser, base, office.mobile)
    _admin_step(browser, base, evaluation, "受理")

    # The institution pays by WeChat (sandbox) and completes the questionnaire.
    login(browser, base, member.user.mobile)
    browser.get(f"{base}/evaluation/{evaluation.pk}/")
    click(browser, browser.find_element(By.LINK_TEXT, "去评价"))
    submit(browser, "提交")  # the invoice information, as for dues (000: 完善开票信息后，点击【提交】)
    click(browser, browser.find_element(By.LINK_TEXT, "微信扫码支付"))
    submit(browser, "模拟扫码付款（沙箱）")
    wait_text(browser, "[data-testid=evaluation-state]", "自评中", timeout=30)
    click(browser, browser.find_element(By.LINK_TEXT, "填报"))
    for radio in browser.find_elements(By.XPATH, "//label[contains(., '完全符合')]/preceding-sibling::input"):
        click(browser, radio)
    submit(browser, "完成提交")
    wait_text(browser, "[data-testid=operation-done]", "操作完成")
    wait_text(browser, "[data-testid=evaluation-state]", "评价中")

    # The office assigns an evaluator, who scores in the workbench.
    login(browser, base, office.mobile)
    browser.get(f"{base}/admin/evaluation/evaluation/{evaluation.pk}/change/")
    click(browser, browser.find_element(By.LINK_TEXT, "指派评价人员"))
    Select(browser.find_element(By.NAME, "evaluator")).select_by_visible_text(str(evaluator))
    submit(browser, "指派")
    wait_for(browser, ".messagelist .success")

    login(browser, base, evaluator.user.mobile)
    browser.get(base + "/workbench/")
    click(browser, browser.find_element(By.LINK_TEXT, "去评分"))
    for field in browser.find_elements(By.CSS_SELECTOR, "input[name^=score]"):
        field.send_keys("9")
    browser.find_element(By.NAME, "comment").send_keys("资料齐全，经营规范。")
    submit(browser, "提交评分")
    wait_text(browser, "[data-testid=confirm-submit]", "确认提交评分")
    submit(browser, "确认提交")
    wait_text(browser, ".alert-success", "评分已提交")

    # The office gives the initial result with the report.
    login(browser, base, office.mobile)
    _admin_step(browser, base, evaluation, "出具初评结果", files={"report": temp_file("评价报告.pdf", pdf_bytes())})
    evaluation.refresh_from_db()
    assert (evaluation.score, evaluation.grade) == (90, "AAA")

    # No appeal: the window runs out, the committee meets, the notice runs out.
    act_on_clocks(h.day_after(evaluation.deadlines.get(kind="appeal_window").due_on))
    m.decided(m.committee("leading_group"), evaluation, "approve")  # (the meeting itself: test_committee_meetings)
    browser.get(base + "/evaluation/notices/")
    wait_text(browser, "main", "苏州某某口腔门诊部有限公司")
    act_on_clocks(h.day_after(evaluation.deadlines.get(kind="notice").due_on))

    # Published: the institution downloads its certificate; the registry shows it.
    login(browser, base, member.user.mobile)
    browser.get(f"{base}/evaluation/{evaluation.pk}/")
    wait_text(browser, "[data-testid=evaluation-state]", "已发布")
    response = download(browser, browser.find_element(By.CSS_SELECTOR, "[data-testid=certificate]").get_attribute("href"))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    evaluation.refresh_from_db()
    assert "苏州某某口腔门诊部有限公司" in text and "AAA" in text and evaluation.certificate_no in text
    browser.get(f"{base}/evaluation/registry/?no={evaluation.certificate_no}")
    wait_text(browser, "[data-testid=registry]", "有效")


def test_the_self_score_follows_the_answers_as_they_are_ticked(browser, live_server):
    evaluation = h.paid()
    login(browser, live_server.url, evaluation.member.user.mobile)
    browser.get(f"{live_server.url}/evaluation/{evaluation.pk}/questionnaire/")
    radios = browser.find_elements(By.XPATH, "//label[contains(., '部分符合')]/preceding-sibling::input")
    click(browser, radios[0])
    click(browser, radios[1])
    wait_text(browser, "[data-testid=self-score]", "33.33")  # 10 of 30 points, out of 100
