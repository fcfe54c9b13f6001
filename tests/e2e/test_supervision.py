"""After publication in Chromium: the office records a spot check asking for rectification in
the admin; the institution reads it and sends its written report on a 390×844 phone; the
office sets a new date once, then accepts; finally a downgrade with the leading group's
approval appears on the public registry."""
import datetime as dt

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By

from evaluation.deadlines import act_on_clocks
from evaluation.models import Evaluation, SpotCheck
from tests.core.files import pdf_bytes
from tests.e2e.helpers import click, fill, login, submit, temp_file, wait_for, wait_text
from tests.evaluation import helpers as h

pytestmark = pytest.mark.django_db(transaction=True)


def _published() -> Evaluation:
    evaluation = h.under_notice()
    act_on_clocks(h.day_after(evaluation.deadlines.get(kind="notice").due_on))
    evaluation.refresh_from_db()
    return evaluation


def _office_button(browser, base, path, label, values):
    browser.set_window_size(1280, 900)
    browser.get(f"{base}/admin/evaluation/{path}/")
    click(browser, browser.find_element(By.LINK_TEXT, label))
    fill(browser, values)
    submit(browser, f"确认{label}")
    wait_for(browser, ".messagelist .success")


def test_a_rectification_from_the_spot_check_to_acceptance_and_a_published_downgrade(browser, live_server):
    base = live_server.url
    evaluation = _published()
    office = h.office()
    today = timezone.localdate()
    login(browser, base, office.mobile)
    _office_button(browser, base, f"evaluation/{evaluation.pk}/change", "记录抽查/考核", {
        "kind": "spot", "checked_on": today.isoformat(), "findings": "抽查门诊病历 30 份，6 份书写不规范。",
        "outcome": "rectify", "requirements": "规范病历书写，组织全员培训。",
        "due_on": (today + dt.timedelta(days=20)).isoformat()})
    check = evaluation.spot_checks.get()
    assert check.state == SpotCheck.State.AWAITING and check.recorded_by == office

    browser.set_window_size(390, 844)
    login(browser, base, evaluation.member.user.mobile)
    browser.get(f"{base}/evaluation/{evaluation.pk}/")
    wait_text(browser, "[data-testid=spot-checks]", "规范病历书写")
    click(browser, browser.find_element(By.LINK_TEXT, "上报整改情况"))
    submit(browser, "提交整改报告")  # nothing written: refused next to the field
    wait_for(browser, ".invalid-feedback, .errorlist")
    fill(browser, {"text": "已修订病历书写规范，完成全员培训。"})
    browser.find_element(By.NAME, "file").send_keys(temp_file("整改情况报告.pdf", pdf_bytes()))
    submit(browser, "提交整改报告")
    wait_text(browser, ".alert-success", "整改情况报告已提交")
    wait_text(browser, "[data-testid=rectification-reports]", "整改情况报告.pdf")
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390

    login(browser, base, office.mobile)
    _office_button(browser, base, f"spotcheck/{check.pk}/change", "整改不到位，重新限期", {
        "note": "培训缺签到记录。", "due_on": (today + dt.timedelta(days=10)).isoformat()})
    browser.set_window_size(390, 844)
    login(browser, base, evaluation.member.user.mobile)
    browser.get(f"{base}/evaluation/{evaluation.pk}/rectification/{check.pk}/")
    wait_text(browser, "[data-testid=review-note]", "培训缺签到记录")
    fill(browser, {"text": "补交培训签到表。"})
    submit(browser, "提交整改报告")
    wait_text(browser, ".alert-success", "整改情况报告已提交")

    login(browser, base, office.mobile)
    _office_button(browser, base, f"spotcheck/{check.pk}/change", "整改验收通过", {"reason": "验收通过。"})
    check.refresh_from_db()
    assert check.state == SpotCheck.State.CLOSED and check.reports.count() == 2

    _office_button(browser, base, f"evaluation/{evaluation.pk}/change", "降级", {
        "grade": "BB", "reason": "整改期间再次发生严重失信行为。", "approval": "评价领导小组 2026 年第 4 次会议核准",
        "approved_on": today.isoformat(), "spot_check_id": str(check.pk)})
    browser.get(f"{base}/evaluation/registry/")
    wait_text(browser, "[data-testid=result-changes]", "降为BB")
    wait_text(browser, "[data-testid=result-changes]", "评价领导小组 2026 年第 4 次会议核准")
