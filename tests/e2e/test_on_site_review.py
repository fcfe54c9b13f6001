"""The on-site review in Chromium: the office plans a visit, freezes the pool, draws and replays
the draw in the admin; the drawn experts confirm in the workbench and one declines (the first
reserve is asked and confirms); the office names the head and leader and sends the notice,
which the institution reads on its evaluation page; every expert scores on a 390×844 phone;
the head compiles the report and every member signs it."""
import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By

from evaluation.models import Evaluation
from experts.models import GroupReport, Invitation, Visit
from experts.review.services import earliest_first_day
from experts.review.tests import helpers as v
from tests.e2e.helpers import click, eventually, fill, login, submit, wait_for, wait_text
from tests.e2e.test_capability_application import _capability
from tests.evaluation import helpers as h

pytestmark = pytest.mark.django_db(transaction=True)


def _admin_button(browser, base, visit, label, values=None):
    browser.get(f"{base}/admin/experts/visit/{visit.pk}/change/")
    click(browser, browser.find_element(By.LINK_TEXT, label))
    if values:
        fill(browser, values)
    submit(browser, f"确认{label}")
    wait_for(browser, ".messagelist .success")


def _seat(visit, expert):
    return Invitation.objects.get(visit=visit, expert=expert)


def test_draw_confirm_notify_score_on_a_phone_report_and_sign(browser, live_server):
    base = live_server.url
    _capability()
    evaluation = v.in_expert_review()
    v.trained_pool(("clinical",) * 6 + ("nursing", "nursing"))
    office = h.office()
    first = earliest_first_day(timezone.localdate())

    # The office plans the visit and draws, in the admin.
    login(browser, base, office.mobile)
    browser.get(f"{base}/admin/experts/visit/add/")
    fill(browser, {"evaluation": str(evaluation.pk), "group_size": "5", "first_day": first.isoformat(),
                   "last_day": first.isoformat(), "specialties": "nursing"})
    submit(browser, "保存安排")
    wait_for(browser, ".messagelist .success")
    visit = Visit.objects.get(evaluation=evaluation)
    _admin_button(browser, base, visit, "冻结候选池并生成种子承诺")
    visit.refresh_from_db()
    assert visit.seed_commitment and not visit.seed
    _admin_button(browser, base, visit, "抽取专家", {"witness_name": "评价领导小组 王监督", "witness_value": "58213"})
    click(browser, browser.find_element(By.LINK_TEXT, "复核抽取"))
    wait_text(browser, "[data-testid=replay-ok]", "一致")
    wait_text(browser, "[data-testid=draw-history]", "本评价共抽取专家 1 次")

    # The drawn experts answer in the workbench; one declines, the first reserve is asked.
    group = list(visit.invitations.filter(state=Invitation.State.INVITED).select_related("expert__user")
                 .order_by("rank"))
    reserve = visit.invitations.filter(state=Invitation.State.RESERVE).select_related("expert__user").order_by(
        "rank").first()
    decliner = group[-1]
    for invitation in [*group[:-1], decliner, reserve]:
        login(browser, base, invitation.expert.user.mobile)
        browser.get(base + "/workbench/")
        click(browser, browser.find_element(By.LINK_TEXT, "答复邀请"))
        if invitation == decliner:
            click(browser, browser.find_element(By.XPATH, "//summary[normalize-space()='婉拒']"), navigates=False)
            submit(browser, "婉拒")  # without a reason: refused, nothing happens
            wait_for(browser, ".invalid-feedback")
            fill(browser, {"reason": "当周已有门诊安排"})
            submit(browser, "婉拒")
            wait_for(browser, "[data-testid=visits], .alert-success")
        else:
            submit(browser, "确认参加")
            wait_for(browser, "[data-testid=group]")
    assert _seat(visit, reserve.expert).replaces_id == decliner.pk
    visit.refresh_from_db()
    assert visit.state == Visit.State.READY
    members = list(visit.invitations.filter(state=Invitation.State.CONFIRMED).select_related("expert__user")
                   .order_by("rank"))
    head, leader = members[0], members[1]

    # The office names the head and the leader and sends the notice.
    login(browser, base, office.mobile)
    _admin_button(browser, base, visit, "指定组长和领队", {"head_id": str(head.pk), "leader_id": str(leader.pk)})
    _admin_button(browser, base, visit, "发送现场评价通知")
    assert Evaluation.objects.get(pk=evaluation.pk).state == Evaluation.State.ON_SITE

    # The institution reads it on its evaluation page.
    login(browser, base, evaluation.member.user.mobile)
    browser.get(f"{base}/evaluation/{evaluation.pk}/")
    wait_text(browser, "[data-testid=visit-group]", head.expert.name)
    wait_text(browser, "[data-testid=visit-dates]", f"{first.year}年{first.month}月{first.day}日")
    eventually(lambda: bool(Visit.objects.get(pk=visit.pk).notice), True)

    # Every expert scores every item on a phone.
    browser.set_window_size(390, 844)
    items = list(evaluation.programme.criteria.filter(parent__isnull=False).order_by("parent__position", "position"))
    for n, member in enumerate(members):
        login(browser, base, member.expert.user.mobile)
        browser.get(f"{base}/workbench/visits/{visit.pk}/")
        click(browser, browser.find_element(By.CSS_SELECTOR, "[data-testid=go-score]"))
        if n == 0:  # above an item's maximum: refused at that item, everything typed kept
            fill(browser, {f"score{items[0].pk}": "99", f"comment{items[1].pk}": "制度齐全"})
            submit(browser, "保存草稿")
            wait_text(browser, "[data-testid=score-error]", "评分应在 0 至 10 分之间")
            assert browser.find_element(By.NAME, f"comment{items[1].pk}").get_attribute("value") == "制度齐全"
        fill(browser, {f"score{i.pk}": str(i.max_points - 1 - n % 2) for i in items})
        submit(browser, "提交评分")
        wait_for(browser, "[data-testid=confirm-submit]")
        submit(browser, "确认提交")
        wait_for(browser, "[data-testid=read-only]")
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390

    # The head compiles the report; every member signs.
    login(browser, base, head.expert.user.mobile)
    browser.get(f"{base}/workbench/visits/{visit.pk}/report/")
    wait_for(browser, "[data-testid=spread]")
    fill(browser, {"overview": "管理规范，整体达到标准要求。", "highlights": "依法执业，服务流程清晰。",
                   "problems": "应急演练记录偏少，建议每季度组织一次。"})
    submit(browser, "提交全组签字")
    wait_text(browser, "[data-testid=report-state]", "待专家签字")
    for member in members:
        login(browser, base, member.expert.user.mobile)
        browser.get(f"{base}/workbench/visits/{visit.pk}/report/")
        if member == leader:
            fill(browser, {"dissent": "对第三部分的表述有保留意见"})
        submit(browser, "签字确认")
        wait_text(browser, "[data-testid=signatures]", "已签字")
    wait_text(browser, "[data-testid=report-state]", "全体签字")
    report = GroupReport.objects.get(visit=visit)
    assert report.signatures.filter(voided_at__isnull=True).count() == 5
    assert report.signatures.get(expert=leader.expert).dissent == "对第三部分的表述有保留意见"
    assert Evaluation.objects.get(pk=evaluation.pk).state == Evaluation.State.COMMITTEE
    eventually(lambda: bool(GroupReport.objects.get(pk=report.pk).pdf), True)
