"""Demo on-site reviews: five star applicants whose evidence is in, each taken by the real
services to one step: experts being invited (one declined, a reserve asked), the group
confirmed and the notice not yet sent, the visit under way with scores coming in, the report
out for signatures, and the report signed (the evaluation before the committee).

The draw needs the first day at least the notice period ahead; the three visits that are under
way or over are then moved to recent dates, as if they had been planned weeks ago."""
import datetime as dt
import hashlib
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from core.demo import DemoLogin
from evaluation import services as evaluation_services
from evaluation.demo_capability import VISIT_STEP_MOBILES
from evaluation.models import Evaluation
from evaluation.selectors import items_of
from experts.review import reports
from experts.review import services as visits
from experts.review.models import Invitation, Visit

STEPS = ["inviting", "ready", "scoring", "signing", "reported"]
SPECIALTIES = {"inviting": ["clinical", "nursing"], "ready": ["clinical"], "scoring": ["clinical", "pharmacy"],
               "signing": ["clinical"], "reported": ["clinical", "finance"]}
HEAD_LABELS = {"scoring": "现场评价中", "signing": "评价报告待签字"}
PAST = {"scoring": -1, "signing": -3, "reported": -12}  # first day relative to today once under way


def seed(office) -> list[DemoLogin]:
    logins = []
    for n, (step, mobile) in enumerate(zip(STEPS, VISIT_STEP_MOBILES, strict=True)):
        evaluation = (Evaluation.objects.filter(member__user__mobile=mobile, programme__kind="capability")
                      .order_by("-pk").first())
        if evaluation is None:
            continue
        visit = Visit.objects.filter(evaluation=evaluation).exclude(state=Visit.State.CANCELLED).first()
        if visit is None:
            visit = _drive(evaluation, step, office, offset=4 * n)
        head = visit.invitations.filter(role=Invitation.Role.HEAD).select_related("expert").first()
        if head is not None and step in ("scoring", "signing"):
            logins.append(DemoLogin(role=f"现场评价组长（{HEAD_LABELS[step]}）", login=head.expert.mobile))
    return logins


def _drive(evaluation, step, office, *, offset) -> Visit:
    first = visits.earliest_first_day(timezone.localdate()) + dt.timedelta(days=offset)
    visit = visits.visit_create(evaluation_id=evaluation.pk, group_size=5, first_day=first,
                                last_day=first + dt.timedelta(days=1), specialties=SPECIALTIES[step],
                                staff_names="评价办公室 李干事", by=office)
    visits.visit_freeze(visit_id=visit.pk, by=office)
    visits.visit_draw(visit_id=visit.pk, witness_name="评价领导小组 监督员", witness_value="20261204", by=office)
    group = _seated(visit)
    if step == "inviting":
        visits.invitation_confirm(invitation_id=group[0].pk, by=group[0].expert.user)
        visits.invitation_confirm(invitation_id=group[1].pk, by=group[1].expert.user)
        visits.invitation_decline(invitation_id=group[2].pk, reason="当周在外地参加学术会议。", by=group[2].expert.user)
        return visit
    for invitation in group:
        visits.invitation_confirm(invitation_id=invitation.pk, by=invitation.expert.user)
    group = _seated(visit)
    visits.visit_name_roles(visit_id=visit.pk, head_id=group[0].pk, leader_id=group[1].pk, by=office)
    if step == "ready":
        return visit
    visits.visit_notify(visit_id=visit.pk, by=office)
    visits.visit_notice_render(visit_id=visit.pk)
    _move_to_recent_dates(visit, PAST[step])
    items = list(items_of(evaluation.programme))
    for k, member in enumerate(group):
        submit = step != "scoring" or k < 2
        _score(evaluation, member, items, submit=submit, partial=not submit)
    if step == "scoring":
        return visit
    head = group[0].expert.user
    reports.report_save(
        visit_id=visit.pk, by=head,
        overview="专家组听取了院长汇报，查阅了制度、病历和设备档案，实地察看了诊疗区和消毒供应区，访谈了患者和医务人员。"
                 "该单位管理规范，服务流程清晰，整体达到服务能力评价标准的要求。",
        highlights="诚信：依法执业，收费公示清楚。服务：预约诊疗和随访制度落实。建设：诊室和消毒供应区布局合理。"
                   "管理：质量与安全管理小组定期活动，记录完整。",
        problems="1. 部分病历知情同意书签署时间不完整，建议完善病历质控。\n2. 应急演练记录偏少，建议每季度组织一次。")
    report = reports.report_circulate(visit_id=visit.pk, by=head)
    signers = group if step == "reported" else group[:2]
    for member in signers:
        reports.report_sign(visit_id=visit.pk, content_hash=report.content_hash, by=member.expert.user,
                            dissent="对第三部分第 2 条的表述有保留意见。" if member == group[-1] else "")
    if step == "reported":
        reports.report_pdf_render(report_id=report.pk)
    return visit


def _seated(visit) -> list[Invitation]:
    return list(visit.invitations.filter(state__in=Invitation.OPEN_STATES).select_related("expert__user")
                .order_by("rank"))


def _move_to_recent_dates(visit, days_from_today: int) -> None:
    first = timezone.localdate() + dt.timedelta(days=days_from_today)
    Visit.objects.filter(pk=visit.pk).update(first_day=first, last_day=first + dt.timedelta(days=1),
                                             challenge_until=first - dt.timedelta(days=7))


def _score(evaluation, member, items, *, submit: bool, partial: bool) -> None:
    """Scores between 70 % and 98 % of each item's maximum, the same for a given expert and item."""
    assignment = evaluation.assignments.get(evaluator=member.expert.user)
    scores = {}
    for n, item in enumerate(items):
        if partial and n % 3:
            continue
        share = 70 + int(hashlib.sha256(f"{member.pk}:{item.pk}".encode()).hexdigest(), 16) % 29
        points = (item.max_points or Decimal(0)) * share / 100
        scores[item.pk] = ((points * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2, "")  # half points
    evaluation_services.assignment_save_scores(assignment_id=assignment.pk, scores=scores,
                                               comment="现场核查与材料相符。", submit=submit, by=member.expert.user)
