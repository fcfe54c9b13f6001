"""Filing, approval and publication of a project, and the amendment record after approval."""
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django_fsm_log.models import StateLog

from education.exceptions import ProjectRuleBroken
from education.models import Amendment, Project, QuizQuestion
from education.projects import services

from .helpers import make_project, office_user

pytestmark = pytest.mark.django_db


def test_a_project_is_filed_approved_and_published_with_who_and_when():
    office = office_user()
    project = make_project(office=office, publish=False)
    services.project_file(project_id=project.pk, by=office)
    services.project_return(project_id=project.pk, by=office, comment="请补充授课人职称")
    project.refresh_from_db()
    assert project.state == Project.State.DRAFT and project.review_comment == "请补充授课人职称"
    services.project_file(project_id=project.pk, by=office)
    services.project_approve(project_id=project.pk, by=office)
    services.project_publish(project_id=project.pk, by=office)
    project.refresh_from_db()
    assert project.state == Project.State.OPEN and project.approved_at is not None
    steps = list(StateLog.objects.for_(project).order_by("timestamp").values_list("transition", "by", "description"))
    assert steps[1] == ("return_for_correction", office.pk, "请补充授课人职称")
    assert [s[0] for s in steps] == ["file", "return_for_correction", "file", "approve", "publish"]


def test_registration_opens_only_after_approval_and_publication():
    office = office_user()
    project = make_project(office=office, publish=False)
    assert not project.registration_open()
    with pytest.raises(ProjectRuleBroken):
        services.project_publish(project_id=project.pk, by=office)  # not approved
    with pytest.raises(ProjectRuleBroken):
        services.project_approve(project_id=project.pk, by=office)  # not filed
    assert Client().get(reverse("education:project", args=[project.pk])).status_code == 404


def test_filing_is_refused_without_sessions_or_with_a_quiz_without_questions():
    office = office_user()
    empty = make_project(office=office, publish=False, sessions=())
    with pytest.raises(ProjectRuleBroken, match="至少添加一个课程安排"):
        services.project_file(project_id=empty.pk, by=office)
    quiz = make_project(office=office, publish=False, assessment=Project.Assessment.QUIZ)
    with pytest.raises(ProjectRuleBroken, match="添加测验题目"):
        services.project_file(project_id=quiz.pk, by=office)
    QuizQuestion.objects.create(project=quiz, text="题", options="甲\n乙", answer=1)
    services.project_file(project_id=quiz.pk, by=office)


def test_a_return_or_a_cancellation_needs_a_reason():
    office = office_user()
    project = make_project(office=office, publish=False)
    services.project_file(project_id=project.pk, by=office)
    with pytest.raises(ProjectRuleBroken):
        services.project_return(project_id=project.pk, by=office, comment="  ")
    with pytest.raises(ProjectRuleBroken):
        services.project_cancel(project_id=project.pk, by=office, reason="")


def test_project_numbers_are_format_checked_and_agree_with_the_level():
    project = make_project(publish=False)
    project.number = "2026-1401-001"
    with pytest.raises(ValidationError, match="项目编号格式"):
        project.full_clean(exclude=["state"])
    project.number, project.level = "2026-14-01-999(省)", Project.Level.NATIONAL
    with pytest.raises(ValidationError, match="不一致"):
        project.full_clean(exclude=["state"])


def test_after_approval_credit_and_hours_change_only_by_a_recorded_amendment():
    office = office_user()
    project = make_project(office=office)
    session = project.sessions.first()
    with pytest.raises(ProjectRuleBroken, match="原因"):
        services.project_amend(project_id=project.pk, by=office, reason="", credit_value=Decimal("8"), session_hours={})
    with pytest.raises(ProjectRuleBroken, match="没有改动"):
        services.project_amend(project_id=project.pk, by=office, reason="核对", credit_value=project.credit_value,
                               session_hours={})
    services.project_amend(project_id=project.pk, by=office, reason="国家继续医学教育委员会批复调整",
                           credit_value=Decimal("8"), session_hours={session.pk: Decimal("2.5")})
    amendment = Amendment.objects.get(project=project)
    assert amendment.by == office and amendment.reason == "国家继续医学教育委员会批复调整"
    assert amendment.changes == [["项目学分", "10.0", "8.0"], [f"学时：{session.title}", "3.0", "2.5"]]
    project.refresh_from_db()
    session.refresh_from_db()
    assert project.credit_value == Decimal("8") and session.hours == Decimal("2.5")


def test_a_draft_needs_no_amendment_and_the_admin_form_cannot_change_an_approved_value():
    office = office_user()
    draft = make_project(office=office, publish=False)
    with pytest.raises(ProjectRuleBroken, match="可直接修改"):
        services.project_amend(project_id=draft.pk, by=office, reason="调整", credit_value=Decimal("5"),
                               session_hours={})
    project = make_project(office=office)
    client = Client()
    client.force_login(office)
    url = reverse("admin:education_project_change", args=[project.pk])
    page = client.get(url).content.decode()
    assert 'name="credit_value"' not in page and "变更学分或学时" in page
    assert 'name="sessions-0-hours"' not in page

    amend = reverse("admin:education_project_transition", args=[project.pk, "amend"])
    session = project.sessions.first()
    response = client.post(amend, {"credit_value": "6", f"hours_{session.pk}": "3", "reason": ""})
    assert response.status_code == 422  # the reason is required; nothing changed
    assert not Amendment.objects.filter(project=project).exists()
    client.post(amend, {"credit_value": "6", f"hours_{session.pk}": "3",
                        **{f"hours_{s.pk}": "3" for s in project.sessions.all()}, "reason": "批复调整"})
    project.refresh_from_db()
    assert project.credit_value == Decimal("6") and Amendment.objects.get(project=project).by == office
