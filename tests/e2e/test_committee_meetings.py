"""Committee meetings in Chromium: the office convenes a meeting in the admin with its agenda
and records who is present; the members vote online in the workbench (on a 390×844 phone),
one checks their receipt; the office counts; the chair and the secretary sign the minutes. For
the star programme the journey goes on to the published certificate on the public registry."""
import io
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader
from selenium.webdriver.common.by import By

from evaluation.deadlines import act_on_clocks
from evaluation.models import Evaluation
from experts.committees.tests import helpers as m
from experts.models import Meeting
from tests.e2e.helpers import click, download, eventually, fill, login, submit, wait_for, wait_text
from tests.e2e.test_capability_application import _capability
from tests.evaluation import helpers as h

pytestmark = pytest.mark.django_db(transaction=True)
S = Evaluation.State


def _meeting_in_browser(browser, base, body, case, choice_label, voters=5) -> Meeting:
    """Convene, record attendance, vote (every voter the same way), count; returns the meeting."""
    office, people = h.office(), m.seats(body)
    login(browser, base, office.mobile)
    browser.get(f"{base}/admin/experts/meeting/add/")
    held_at = timezone.localtime() + timezone.timedelta(hours=2)
    fill(browser, {"committee": str(body.pk), "held_at": held_at.strftime("%Y-%m-%dT%H:%M"),
                   "place": "线上会议室（腾讯会议 123-456-789）", "evaluation_ids": str(case.pk)})
    submit(browser, "保存")
    wait_for(browser, ".messagelist .success")
    meeting = Meeting.objects.get(items__evaluation=case, state=Meeting.State.CONVENED)
    # The meeting is two hours away: attendance is refused until then, so the office holds it now.
    click(browser, browser.find_element(By.LINK_TEXT, "记录出席并开始投票"))
    click(browser, browser.find_element(By.CSS_SELECTOR, f"input[name=present_member_ids][value='{people[0].pk}']"))
    submit(browser, "确认记录出席并开始投票")
    wait_text(browser, ".errornote, .messagelist .error", "届时才能记录出席")
    browser.get(f"{base}/admin/experts/meeting/{meeting.pk}/change/")
    click(browser, browser.find_element(By.LINK_TEXT, "调整会议时间"))
    fill(browser, {"held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "reason": "委员均已在线，提前召开"})
    submit(browser, "确认调整会议时间")
    wait_for(browser, ".messagelist .success")
    click(browser, browser.find_element(By.LINK_TEXT, "记录出席并开始投票"))
    for seat in people[:voters]:
        click(browser, browser.find_element(By.CSS_SELECTOR, f"input[name=present_member_ids][value='{seat.pk}']"))
    submit(browser, "确认记录出席并开始投票")
    wait_for(browser, ".messagelist .success")

    browser.set_window_size(390, 844)
    receipt = ""
    for n, seat in enumerate(people[:voters]):
        login(browser, base, seat.user.mobile)
        browser.get(f"{base}/workbench/")
        click(browser, browser.find_element(By.CSS_SELECTOR, "[data-testid=my-meetings] a"))
        wait_text(browser, "[data-testid=meeting-state]", "投票中")
        if n == 0:  # no choice: refused, nothing lost
            submit(browser, "投票")
            wait_text(browser, "[data-testid=meeting-error]", "请选择一个表决选项")
        label = browser.find_element(By.XPATH, f"//label[normalize-space()='{choice_label}']")
        click(browser, label)
        submit(browser, "投票")
        wait_text(browser, ".alert-success", "投票成功")
        if n == 0:
            receipt = re.search(r"[A-Z0-9]{4}(?:-[A-Z0-9]{4}){3}", browser.find_element(By.CSS_SELECTOR, ".alert-success").text)[0]
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
    browser.set_window_size(1280, 900)

    login(browser, base, office.mobile)
    browser.get(f"{base}/admin/experts/meeting/{meeting.pk}/change/")
    click(browser, browser.find_element(By.LINK_TEXT, "结束投票并计票"))
    submit(browser, "确认结束投票并计票")
    wait_for(browser, ".messagelist .success")

    login(browser, base, people[0].user.mobile)  # the receipt's owner is the first voter
    browser.get(f"{base}/workbench/meetings/receipt/")
    fill(browser, {"code": receipt})
    submit(browser, "核对")
    wait_text(browser, "[data-testid=receipt-result]", "已计入")
    assert receipt not in browser.current_url
    return Meeting.objects.get(pk=meeting.pk)


def _sign_minutes(browser, base, body, meeting):
    for seat in m.seats(body)[:2]:  # the chair and the secretary
        login(browser, base, seat.user.mobile)
        browser.get(f"{base}/workbench/meetings/{meeting.pk}/")
        wait_text(browser, "[data-testid=minutes]", "会议纪要")
        submit(browser, "签署会议纪要")
        wait_text(browser, ".alert-success", "已签署会议纪要")
    eventually(lambda: bool(Meeting.objects.get(pk=meeting.pk).minutes_pdf), True)
    browser.refresh()
    response = download(browser, browser.find_element(By.CSS_SELECTOR, "[data-testid=minutes-pdf]").get_attribute("href"))
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)


def test_a_credit_leading_group_meeting_voted_online(browser, live_server):
    base = live_server.url
    body = m.committee("leading_group")
    case = h.in_committee()
    meeting = _meeting_in_browser(browser, base, body, case, f"同意评价结果（{case.grade}），进入公示")
    item = meeting.items.get()
    assert item.tally == {"approve": 5, "send_back": 0} and item.outcome == "approve"
    case.refresh_from_db()
    assert case.state == S.PUBLIC_NOTICE and case.meetings_held == 1
    text = _sign_minutes(browser, base, body, meeting)
    assert "实到 5 人" in text and case.member.name in text and meeting.minutes_hash in text.replace("\n", "")


def test_a_star_case_from_the_committee_vote_to_the_published_certificate_on_the_registry(browser, live_server):
    base = live_server.url
    _capability()
    body = m.committee("capability")
    case, _ = m.capability_case(grade="AAA", points=(9, 9, 9))  # 27 of 30: 90 of 100
    meeting = _meeting_in_browser(browser, base, body, case, "★★★★★ 五星级")
    assert meeting.items.get().tally["5星"] == 5
    case.refresh_from_db()
    assert (case.state, case.grade) == (S.INITIAL_RESULT, "5星")

    # The institution reads its result and the group's report.
    login(browser, base, case.member.user.mobile)
    browser.get(f"{base}/evaluation/{case.pk}/")
    wait_text(browser, "[data-testid=evaluation-state]", "初评结果")
    wait_text(browser, "main", "5星")

    # No appeal, no objection: published.
    act_on_clocks(h.day_after(case.deadlines.get(kind="appeal_window").due_on))
    case.refresh_from_db()
    act_on_clocks(h.day_after(case.deadlines.get(kind="notice").due_on))
    case.refresh_from_db()
    assert case.state == S.PUBLISHED
    eventually(lambda: bool(Evaluation.objects.get(pk=case.pk).certificate), True)
    browser.get(f"{base}/evaluation/{case.pk}/")
    wait_text(browser, "[data-testid=evaluation-state]", "已发布")
    response = download(browser, browser.find_element(By.CSS_SELECTOR, "[data-testid=certificate]").get_attribute("href"))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).replace(" ", "")
    assert "星级医疗机构证书" in text and "★★★★★" in text and case.certificate_no in text
    browser.get(f"{base}/evaluation/registry/?no={case.certificate_no}")
    wait_text(browser, "[data-testid=stars]", "★★★★★ 五星级")
    wait_text(browser, "[data-testid=registry]", "信用等级 AAA")
    browser.get(f"{base}/evaluation/brand-list/")
    wait_text(browser, "[data-testid=brand-list]", case.member.name)
