"""After publication (004 §21-23; credit 001 §18(十)): spot checks and rectification requests,
the institution's written reports, the office's acceptance, overdue reports, and downgrades
and revocations that name the leading group's approval and are published."""
import datetime as dt
import importlib

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from core.downloads import file_url
from core.models import Message
from evaluation import services
from evaluation.deadlines import act_on_clocks
from evaluation.exceptions import MissingReason, ResultChangeRefused, SupervisionRefused
from evaluation.models import Evaluation, RectificationReport, ResultChange, SpotCheck
from tests.core.files import pdf_bytes, upload
from tests.evaluation import helpers as h
from tests.payments.helpers import login

pytestmark = pytest.mark.django_db
S = Evaluation.State
C = SpotCheck.State
User = get_user_model()


def published() -> Evaluation:
    evaluation = h.under_notice()
    act_on_clocks(h.day_after(evaluation.deadlines.get(kind="notice").due_on))
    evaluation.refresh_from_db()
    assert evaluation.state == S.PUBLISHED
    return evaluation


def rectify(evaluation, *, days=20, by=None) -> SpotCheck:
    return services.spot_check_record(
        evaluation_id=evaluation.pk, kind=SpotCheck.Kind.SPOT, checked_on=timezone.localdate(),
        outcome=SpotCheck.Outcome.RECTIFY, findings="抽查发现病历书写不规范。", requirements="规范病历书写并培训。",
        due_on=timezone.localdate() + dt.timedelta(days=days), by=by or h.office())


def test_a_check_that_meets_the_standard_is_closed_and_the_institution_is_told(django_capture_on_commit_callbacks):
    evaluation = published()
    with django_capture_on_commit_callbacks(execute=True):
        check = services.spot_check_record(
            evaluation_id=evaluation.pk, kind=SpotCheck.Kind.SPOT, checked_on=timezone.localdate(),
            outcome=SpotCheck.Outcome.MEETS, findings="抽查病历 30 份，符合要求。", requirements="不应保留",
            due_on=timezone.localdate() + dt.timedelta(days=5), by=h.office())
    assert (check.state, check.requirements, check.due_on) == (C.CLOSED, "", None)
    message = Message.objects.filter(recipient=evaluation.member.user).latest("pk")
    assert "不定期抽查" in message.subject and "符合要求" in message.subject and "抽查病历 30 份" in message.body


def test_a_rectification_request_needs_requirements_a_future_date_and_a_published_result():
    evaluation = published()
    today = timezone.localdate()
    base = {"evaluation_id": evaluation.pk, "kind": SpotCheck.Kind.FOCUS, "checked_on": today,
            "outcome": SpotCheck.Outcome.RECTIFY, "findings": "投诉较多。", "by": h.office()}
    with pytest.raises(MissingReason, match="整改要求"):
        services.spot_check_record(**base, due_on=today + dt.timedelta(days=5))
    for due in (None, today):
        with pytest.raises(SupervisionRefused, match="截止日"):
            services.spot_check_record(**base, requirements="整改", due_on=due)
    with pytest.raises(SupervisionRefused, match="检查日期"):
        services.spot_check_record(**{**base, "checked_on": today + dt.timedelta(days=1)}, requirements="整改",
                                   due_on=today + dt.timedelta(days=5))
    with pytest.raises(MissingReason):
        services.spot_check_record(**{**base, "findings": "  "}, requirements="整改",
                                   due_on=today + dt.timedelta(days=5))
    in_notice = h.under_notice()
    with pytest.raises(SupervisionRefused, match="已发布结果"):
        rectify(in_notice)
    assert not SpotCheck.objects.exists()


def test_one_open_rectification_per_result_by_the_service_and_by_the_database():
    evaluation = published()
    first = rectify(evaluation)
    assert first.state == C.AWAITING
    with pytest.raises(SupervisionRefused, match="未结案的整改要求"):
        rectify(evaluation)
    with pytest.raises(IntegrityError), transaction.atomic():
        SpotCheck.objects.create(evaluation=evaluation, kind="spot", checked_on=timezone.localdate(), findings="x",
                                 outcome="rectify", due_on=timezone.localdate(), state=C.REPORTED,
                                 recorded_by=h.office())
    with pytest.raises(IntegrityError), transaction.atomic():  # 限期整改 always has its date
        SpotCheck.objects.create(evaluation=published(), kind="spot", checked_on=timezone.localdate(),
                                 findings="x", outcome="rectify", recorded_by=h.office())
    # A check that asks nothing can still be recorded meanwhile, and once closed a new request can.
    services.spot_check_record(evaluation_id=evaluation.pk, kind="revisit", checked_on=timezone.localdate(),
                               outcome="failed", findings="现场复评未通过。", by=h.office())
    services.spot_check_close(spot_check_id=first.pk, reason="另行现场复评", by=h.office())
    assert rectify(evaluation).state == C.AWAITING


def test_the_institution_reports_on_its_page_and_the_office_sends_back_then_accepts(
        client, django_capture_on_commit_callbacks):
    evaluation = published()
    office = h.office()
    check = rectify(evaluation)
    login(client, evaluation.member.user)
    detail = client.get(reverse("evaluation:detail", args=[evaluation.pk])).content.decode()
    assert "抽查与整改" in detail and "上报整改情况" in detail and "规范病历书写并培训" in detail
    url = reverse("evaluation:rectification", args=[evaluation.pk, check.pk])
    refused = client.post(url, {"text": "   "})
    assert refused.status_code == 200 and "这个字段是必填项" in refused.content.decode()
    hostile = client.post(url, {"text": "已整改", "file": upload("report.pdf", b"MZ\x90\x00 not a pdf")})
    assert "已整改" in hostile.content.decode() and not RectificationReport.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"text": "已组织病历书写培训。", "file": upload("整改报告.pdf", pdf_bytes())})
    check.refresh_from_db()
    assert check.state == C.REPORTED
    assert Message.objects.filter(recipient=office, subject__contains="整改情况报告待验收").exists()
    page = client.get(url).content.decode()
    assert "已组织病历书写培训" in page and "整改报告.pdf" in page and "提交整改报告" not in page
    again = client.post(url, {"text": "再次提交"})  # nothing is awaited now: the form is gone
    assert again.status_code == 200 and check.reports.count() == 1

    with pytest.raises(SupervisionRefused, match="新截止日"):
        services.rectification_review(spot_check_id=check.pk, accepted=False, note="不到位", by=office)
    new_due = timezone.localdate() + dt.timedelta(days=10)
    services.rectification_review(spot_check_id=check.pk, accepted=False, note="培训记录缺签到表。", due_on=new_due,
                                  by=office)
    check.refresh_from_db()
    assert (check.state, check.due_on, check.review_note, check.reviewed_by) == (C.AWAITING, new_due,
                                                                                  "培训记录缺签到表。", office)
    assert "培训记录缺签到表" in client.get(url).content.decode()
    services.rectification_report_submit(spot_check_id=check.pk, text="补交签到表。", by=evaluation.member.user)
    with pytest.raises(MissingReason):
        services.rectification_review(spot_check_id=check.pk, accepted=True, note="", by=office)
    services.rectification_review(spot_check_id=check.pk, accepted=True, note="验收通过。", by=office)
    check.refresh_from_db()
    assert check.state == C.CLOSED
    assert list(check.reports.values_list("text", flat=True)) == ["已组织病历书写培训。", "补交签到表。"]
    logs = list(StateLog.objects.for_(check).order_by("pk").values_list("transition", "by_id"))
    assert logs == [("report", evaluation.member.user_id), ("send_back", office.pk),
                    ("report", evaluation.member.user_id), ("accept", office.pk)]
    with pytest.raises(SupervisionRefused, match="已结案"):
        services.rectification_report_submit(spot_check_id=check.pk, text="又一份", by=evaluation.member.user)


def test_another_institution_can_neither_open_the_page_nor_the_report_nor_mix_ids(client):
    evaluation, other = published(), published()
    check = rectify(evaluation)
    report = services.rectification_report_submit(spot_check_id=check.pk, text="已整改",
                                                  file=upload("r.pdf", pdf_bytes()), by=evaluation.member.user)
    login(client, other.member.user)
    assert client.get(reverse("evaluation:rectification", args=[evaluation.pk, check.pk])).status_code == 404
    assert client.get(reverse("evaluation:rectification", args=[other.pk, check.pk])).status_code == 404
    assert client.get(file_url(report, "file")).status_code == 404
    client.logout()
    login(client, evaluation.member.user)
    assert client.get(file_url(report, "file")).status_code == 200
    login(client, h.office())
    assert client.get(file_url(report, "file")).status_code == 200


def test_an_overdue_report_is_flagged_once_and_again_after_a_new_date(client, django_capture_on_commit_callbacks):
    evaluation = published()
    check = rectify(evaluation, days=3)
    late = h.day_after(check.due_on)
    with time_machine.travel(late, tick=False):
        login(client, evaluation.member.user)
        assert "逾期未报整改情况" in client.get(reverse("evaluation:detail", args=[evaluation.pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.rectifications_overdue(now=late - dt.timedelta(days=1)) == 0
        assert services.rectifications_overdue(now=late) == 1
        assert services.rectifications_overdue(now=late) == 0
    check.refresh_from_db()
    assert check.overdue_notified_at == late
    assert Message.objects.filter(recipient=evaluation.member.user, subject__contains="逾期").count() == 1
    office = User.objects.filter(groups__name="评价办公室").first()
    assert Message.objects.filter(recipient=office, subject__contains="逾期未报").count() == 1
    services.rectification_report_submit(spot_check_id=check.pk, text="迟报", by=evaluation.member.user)
    services.rectification_review(spot_check_id=check.pk, accepted=False, note="仍不到位",
                                  due_on=timezone.localdate() + dt.timedelta(days=2), by=h.office())
    check.refresh_from_db()
    assert check.overdue_notified_at is None
    assert services.rectifications_overdue(now=h.day_after(check.due_on)) == 1


def test_the_office_records_checks_and_reviews_reports_from_the_admin(client):
    evaluation = published()
    office = h.office()
    login(client, office)
    change = client.get(reverse("admin:evaluation_evaluation_change", args=[evaluation.pk])).content.decode()
    assert "记录抽查/考核" in change
    url = reverse("admin:evaluation_evaluation_transition", args=[evaluation.pk, "spot_check"])
    data = {"kind": "focus", "checked_on": timezone.localdate().isoformat(), "findings": "候诊时间过长。",
            "outcome": "rectify", "requirements": "", "due_on": ""}
    refused = client.post(url, data)
    assert refused.status_code == 422 and "候诊时间过长" in refused.content.decode()
    assert "限期整改须写明整改要求" in refused.content.decode()
    data.update(requirements="优化排班。", due_on=timezone.localdate().isoformat())
    refused = client.post(url, data)  # the service refuses a date that is not in the future: nothing lost
    assert refused.status_code == 422 and "未执行" in refused.content.decode() and "优化排班" in refused.content.decode()
    data["due_on"] = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    assert client.post(url, data).status_code == 302
    check = evaluation.spot_checks.get()
    assert (check.state, check.recorded_by) == (C.AWAITING, office)
    services.rectification_report_submit(spot_check_id=check.pk, text="已优化排班。", by=evaluation.member.user)
    index = client.get(reverse("admin:index")).content.decode()
    assert "待验收整改报告" in index
    queue = client.get(reverse("admin:evaluation_spotcheck_changelist") + "?state__exact=reported").content.decode()
    assert evaluation.member.name in queue
    page = client.get(reverse("admin:evaluation_spotcheck_change", args=[check.pk])).content.decode()
    assert "已优化排班" in page and "整改验收通过" in page and "整改不到位，重新限期" in page
    transition = "admin:evaluation_spotcheck_transition"
    client.post(reverse(transition, args=[check.pk, "accept"]), {"reason": "现场核实，验收通过。"})
    check.refresh_from_db()
    assert (check.state, check.review_note) == (C.CLOSED, "现场核实，验收通过。")
    page = client.get(reverse("admin:evaluation_spotcheck_change", args=[check.pk])).content.decode()
    assert reverse(transition, args=[check.pk, "accept"]) not in page
    assert reverse(transition, args=[check.pk, "close"]) not in page


def test_staff_without_the_permission_cannot_record_or_review(client):
    from accounts.roles import MEMBERSHIP_STAFF, ROLE_GROUP_NAMES
    from tests.accounts.factories import UserFactory

    evaluation = published()
    check = rectify(evaluation)
    staff = UserFactory(is_staff=True)
    staff.groups.add(apps.get_model("auth", "Group").objects.get(name=ROLE_GROUP_NAMES[MEMBERSHIP_STAFF]))
    login(client, staff)
    assert client.post(reverse("admin:evaluation_evaluation_transition", args=[evaluation.pk, "spot_check"]),
                       {}).status_code in (302, 403)
    assert client.post(reverse("admin:evaluation_spotcheck_transition", args=[check.pk, "close"]),
                       {"reason": "x"}).status_code in (302, 403)
    check.refresh_from_db()
    assert check.state == C.AWAITING and evaluation.spot_checks.count() == 1


def test_downgrade_and_revocation_need_the_approval_and_publish_it(client):
    evaluation, office = published(), h.office()
    failed = services.spot_check_record(evaluation_id=evaluation.pk, kind="revisit", checked_on=timezone.localdate(),
                                        outcome="failed", findings="现场复核不通过。", by=office)
    base = {"evaluation_id": evaluation.pk, "grade": "BB", "reason": "现场复核不通过", "by": office}
    with pytest.raises(MissingReason, match="核准"):
        services.evaluation_downgrade(**base, approval=" ", approved_on=timezone.localdate())
    with pytest.raises(ResultChangeRefused, match="核准日期"):
        services.evaluation_downgrade(**base, approval="领导小组会议核准",
                                      approved_on=timezone.localdate() + dt.timedelta(days=1))
    other = published()
    foreign = rectify(other)
    with pytest.raises(ResultChangeRefused, match="不属于"):
        services.evaluation_downgrade(**base, **h.approved(), spot_check_id=foreign.pk)
    assert not ResultChange.objects.exists()
    previous = evaluation.grade
    services.evaluation_downgrade(**base, **h.approved(), spot_check_id=failed.pk)
    change = ResultChange.objects.get()
    assert (change.kind, change.from_grade, change.to_grade, change.spot_check, change.recorded_by) == (
        "downgrade", previous, "BB", failed, office)
    services.evaluation_revoke(evaluation_id=evaluation.pk, reason="整改后仍存在严重问题", by=h.office(),
                               **h.approved())
    page = client.get(reverse("evaluation:registry")).content.decode()
    assert f"由{previous}降为BB" in page and "撤销评价结果（原BB）" in page
    assert "评价领导小组核准情况：评价领导小组 2026 年第 3 次会议核准" in page


def test_the_admin_downgrade_form_asks_for_the_approval(client):
    evaluation = published()
    login(client, h.office())
    url = reverse("admin:evaluation_evaluation_transition", args=[evaluation.pk, "revoke"])
    refused = client.post(url, {"reason": "严重违规"})
    assert refused.status_code == 422 and "严重违规" in refused.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.state == S.PUBLISHED
    client.post(url, {"reason": "严重违规", "approval": "评价领导小组书面核准", "approved_on": timezone.localdate()})
    evaluation.refresh_from_db()
    assert evaluation.state == S.REVOKED and evaluation.result_changes.get().approval == "评价领导小组书面核准"


def test_earlier_downgrades_and_revocations_are_kept_by_the_migration():
    evaluation, office = published(), h.office()
    Evaluation.objects.filter(pk=evaluation.pk).update(grade="BB")
    StateLog.objects.create(content_object=evaluation, transition="downgrade", state="published",
                            source_state="published", by=office,
                            description="降为 BB：核查发现违规，经评价领导小组核准")
    migration = importlib.import_module("evaluation.migrations.0020_supervision")
    migration.keep_earlier_changes(apps, None)
    change = ResultChange.objects.get()
    assert (change.kind, change.to_grade, change.reason) == ("downgrade", "BB", "核查发现违规，经评价领导小组核准")
    assert change.approval == migration.EARLIER and change.recorded_by == office
