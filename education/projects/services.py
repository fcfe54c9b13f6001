"""Every write to a project: filing, approval, return, publication, cancellation and the
recorded amendment of credit value or hours after approval."""
import logging
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.workflow import locked_step
from education.exceptions import ProjectRuleBroken
from education.rules import PROJECT_CAP

from .models import Amendment, Project

logger = logging.getLogger(__name__)
TENTH = Decimal("0.1")


def _locked(project_id: int) -> Project:
    return Project.objects.select_for_update().get(pk=project_id)


def _refused(project: Project) -> ProjectRuleBroken:
    return ProjectRuleBroken(f"项目当前状态为“{project.get_state_display()}”，不能进行此操作，请刷新后查看。")


def _step(project_id: int, step, then=None) -> Project:
    return locked_step(_locked, project_id, step, refused=_refused, then=then)


def _require(text: str, message: str) -> str:
    if not (text or "").strip():
        raise ProjectRuleBroken(message)
    return text.strip()


def filing_problems(project: Project) -> list[str]:
    """What stops a project from being filed, each in words staff can act on."""
    sessions = list(project.sessions.all())
    problems = []
    if not sessions:
        problems.append("请至少添加一个课程安排（含学时）。")
    for session in sessions:
        day = timezone.localtime(session.starts_at).date()
        if not project.starts_on <= day <= project.ends_on:
            problems.append(f"课程“{session.title}”不在项目的起止日期内。")
    if project.assessment == Project.Assessment.QUIZ and not project.questions.exists():
        problems.append("考核方式为在线测验，请添加测验题目。")
    if project.member_fee is not None and project.member_fee > project.fee:
        problems.append("会员价不能高于报名费。")
    return problems


def project_file(*, project_id: int, by) -> Project:
    """备案: send the project, with its sessions and lecturers, for approval."""
    def step(project):
        problems = filing_problems(project)
        if problems:
            raise ProjectRuleBroken("".join(problems))
        project.file(by=by, description="提交备案")
    return _step(project_id, step)


def project_return(*, project_id: int, by, comment: str) -> Project:
    comment = _require(comment, "退回修改须写明意见。")
    return _step(project_id, lambda p: p.return_for_correction(comment=comment, by=by, description=comment))


def project_approve(*, project_id: int, by) -> Project:
    """Approval: from now on credit value and hours change only by a recorded amendment."""
    return _step(project_id, lambda p: p.approve(at=timezone.now(), by=by, description="审批通过"))


def project_publish(*, project_id: int, by) -> Project:
    """Listed in the 学分继教 column; registration opens until the first day."""
    return _step(project_id, lambda p: p.publish(by=by, description="发布，开放报名"))


def project_cancel(*, project_id: int, by, reason: str) -> Project:
    reason = _require(reason, "取消项目须写明原因。")

    def step(project):
        if project.registrations.filter(state="registered", fee__gt=0).exists():
            raise ProjectRuleBroken("已有学员缴费报名：请先与财务办理退费并取消这些报名，再取消项目。")
        project.cancel(reason=reason, by=by, description=reason)
    return _step(project_id, step)


def project_amend(*, project_id: int, by, reason: str, credit_value: Decimal,
                  session_hours: dict[int, Decimal]) -> Amendment:
    """Change credit value or session hours of an approved project, recording what changed,
    who changed it and why. Refused before approval (edit it directly) and once credited (a
    correction then voids and reissues certificates)."""
    reason = _require(reason, "变更须写明原因。")
    credit_value = Decimal(credit_value).quantize(TENTH)
    if not Decimal("0.5") <= credit_value <= PROJECT_CAP:
        raise ProjectRuleBroken(f"项目学分应在 0.5 至 {PROJECT_CAP} 之间。")
    session_hours = {pk: Decimal(hours).quantize(TENTH) for pk, hours in session_hours.items()}
    with transaction.atomic():
        project = _locked(project_id)
        if project.state not in (Project.State.APPROVED, Project.State.OPEN):
            raise ProjectRuleBroken("只有已批准、未授予学分的项目需要变更记录：未批准的项目可直接修改；"
                                    "已授予学分的项目，请作废并重新签发证书。")
        changes = []
        if credit_value != project.credit_value:
            changes.append(["项目学分", str(project.credit_value), str(credit_value)])
            project.credit_value = credit_value
            project.save(update_fields=["credit_value"])
        for session in project.sessions.select_for_update():
            new = session_hours.get(session.pk)
            if new is not None and new != session.hours:
                changes.append([f"学时：{session.title}", str(session.hours), str(new)])
                session.hours = new
                session.full_clean()
                session.save(update_fields=["hours"])
        if not changes:
            raise ProjectRuleBroken("没有改动：请修改项目学分或学时后再提交。")
        amendment = Amendment.objects.create(project=project, changes=changes, reason=reason, by=by)
    logger.info("project %s amended by %s: %s (%s)", project.number, by.pk, changes, reason)
    return amendment
