"""The group report (004 §20(五)): the head writes it from the members' submitted scores, puts
it to the members (its text and the computed scores are then fixed and hashed), every member
signs that version (a dissent may go on record), and the fully signed report goes to the
committee with its PDF; the institution gets the feedback (反馈讲评)."""
import hashlib
import json
import logging
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.outbox import job_enqueue
from evaluation import services as evaluation_services
from evaluation.exceptions import EvaluationError
from experts.exceptions import ReportRuleBroken
from experts.review.models import GroupReport, Invitation, ReportSignature, Visit
from experts.review.selectors import group_of, score_spread
from experts.review.services import locked_visit, report_withdraw, tell_expert, void_signatures

logger = logging.getLogger(__name__)
SECTIONS = {"overview": "评价概况及总体评价", "highlights": "亮点", "problems": "主要问题及改进意见"}


def _head_of(visit: Visit, user) -> Invitation:
    head = visit.invitations.filter(state=Invitation.State.CONFIRMED, role=Invitation.Role.HEAD,
                                    expert__user=user).first()
    if head is None:
        raise ReportRuleBroken("只有专家组组长可以编写评价报告。")
    if visit.state != Visit.State.NOTIFIED:
        raise ReportRuleBroken("现场评价进行中才能编写评价报告。")
    return head


def _report(visit: Visit) -> GroupReport:
    report, _ = GroupReport.objects.get_or_create(visit=visit)
    return GroupReport.objects.select_for_update().get(pk=report.pk)


def report_save(*, visit_id: int, overview: str, highlights: str, problems: str, by) -> GroupReport:
    """The head saves the report's text as typed (draft; nothing is lost)."""
    with transaction.atomic():
        visit = locked_visit(visit_id)
        _head_of(visit, by)
        report = _report(visit)
        if not report.is_open:
            raise ReportRuleBroken("报告已提交签字；如需修改，请先撤回。")
        report.overview, report.highlights, report.problems = overview.strip(), highlights.strip(), problems.strip()
        report.save()
    return report


def report_hash(report: GroupReport) -> str:
    """What a signature vouches for: the three parts' text, each item's score and the total."""
    content = {"text": [getattr(report, f) for f in SECTIONS], "items": report.item_scores,
               "total": str(report.total), "percent": str(report.percent)}
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def report_circulate(*, visit_id: int, by) -> GroupReport:
    """提交全组签字: every member has submitted their scores and the three parts are written;
    each item's score (the members' mean) and the total are computed, fixed and hashed, and
    the members are asked to sign."""
    with transaction.atomic():
        visit = locked_visit(visit_id)
        _head_of(visit, by)
        report = _report(visit)
        missing = [label for field, label in SECTIONS.items() if not getattr(report, field).strip()]
        if missing:
            raise ReportRuleBroken("请先填写：" + "、".join(missing) + "。")
        spread = score_spread(visit)
        if spread["submitted"] < spread["seated"]:
            raise ReportRuleBroken(f"还有 {spread['seated'] - spread['submitted']} 位专家未提交评分，全部提交后才能汇总。")
        items = [{"id": r["item"].pk, "code": r["item"].code, "text": r["item"].text[:200],
                  "max": str(r["item"].max_points or 0), "score": str(r["mean"])} for r in spread["rows"]]
        total = sum((Decimal(i["score"]) for i in items), Decimal(0)).quantize(Decimal("0.01"))
        maximum = sum((Decimal(i["max"]) for i in items), Decimal(0))
        percent = evaluation_services.out_of_100(total, maximum)
        report.item_scores, report.total, report.percent = items, total, percent
        report.circulate(item_scores=items, total=total, percent=percent, content_hash=report_hash(report),
                         at=timezone.now(), by=by, description=f"提交全组签字，总分 {total}（百分制 {percent}）")
        report.save()
        for member in group_of(visit):
            tell_expert(member, "visit_report_to_sign", url=reverse("experts:report", args=[visit.pk]))
    logger.info("visit %s: report circulated by %s, total %s", visit.pk, by.pk, report.total)
    return report


def report_reopen(*, visit_id: int, reason: str, by) -> GroupReport:
    """The head takes the report back to change it: the signatures given so far are voided
    (kept as history) and everyone signs the new version."""
    if not (reason or "").strip():
        raise ReportRuleBroken("请说明撤回修改的原因。")
    with transaction.atomic():
        visit = locked_visit(visit_id)
        _head_of(visit, by)
        if not GroupReport.objects.filter(visit=visit, state=GroupReport.State.SIGNING).exists():
            raise ReportRuleBroken("报告不在签字阶段。")
        report_withdraw(visit, reason=reason.strip(), by=by)
    return GroupReport.objects.get(visit_id=visit_id)


def report_send_back(*, evaluation_id: int, reason: str, by) -> None:
    """The committee sent a star case back to its group: the reported visit reopens and the head
    revises the signed report (signatures voided and kept, the signed version in its history)."""
    visit = (Visit.objects.select_for_update(of=("self",))
             .filter(evaluation_id=evaluation_id, state=Visit.State.REPORTED).first())
    if visit is None:
        return
    report = GroupReport.objects.select_for_update().get(visit=visit)
    void_signatures(report)
    report.send_back(by=by, description=reason[:200])
    report.save()
    visit.sent_back(by=by, description="评价委员会退回专家组重新评价")
    visit.save()
    head = visit.invitations.filter(role=Invitation.Role.HEAD, state=Invitation.State.CONFIRMED).first()
    if head is not None:
        tell_expert(head, "visit_sent_back", url=reverse("experts:report", args=[visit.pk]), reason=reason)


def report_sign(*, visit_id: int, content_hash: str, dissent: str = "", by) -> ReportSignature:
    """签字确认: a member signs the version they read (its hash; a changed report must be read
    again), with a dissent if they wish. The last signature sends the report to the committee."""
    with transaction.atomic():
        visit = locked_visit(visit_id)
        member = visit.invitations.filter(state=Invitation.State.CONFIRMED, expert__user=by).select_related(
            "expert").first()
        if member is None:
            raise ReportRuleBroken("只有专家组成员可以签字。")
        if visit.state != Visit.State.NOTIFIED:
            raise ReportRuleBroken("专家组正在调整，报告暂不能签字。")
        report = GroupReport.objects.select_for_update().filter(visit=visit).first()
        if report is None or report.state != GroupReport.State.SIGNING:
            raise ReportRuleBroken("报告尚未提交签字或已全体签字。")
        if content_hash != report.content_hash:
            raise ReportRuleBroken("报告内容已更新，请重新阅读后签字。")
        try:
            with transaction.atomic():
                signature = ReportSignature.objects.create(report=report, expert=member.expert,
                                                           content_hash=report.content_hash,
                                                           dissent=(dissent or "").strip())
        except IntegrityError:
            raise ReportRuleBroken("您已签字。") from None
        seated = {m.expert_id for m in group_of(visit)}
        signed = set(report.signatures.filter(voided_at__isnull=True, content_hash=report.content_hash)
                     .values_list("expert_id", flat=True))
        if seated <= signed:
            _complete(visit, report, by=by)
    logger.info("visit %s: report signed by expert %s%s", visit.pk, member.expert_id, " with dissent" if dissent else "")
    return signature


def _complete(visit: Visit, report: GroupReport, *, by) -> None:
    report.complete(at=timezone.now(), by=by, description="全体专家签字确认")
    report.save()
    visit.report_signed(by=by, description="评价报告全体签字")
    visit.save()
    try:
        evaluation_services.evaluation_send_to_committee(evaluation_id=visit.evaluation_id, total=report.percent, by=by)
    except EvaluationError as exc:
        raise ReportRuleBroken(str(exc)) from None
    job_enqueue("experts.tasks.generate_group_report", report.pk)


def report_pdf_render(*, report_id: int) -> GroupReport:
    """Render the signed report with its signatures (idempotent)."""
    from core.pdf import render_pdf

    with transaction.atomic():
        report = GroupReport.objects.select_for_update().select_related("visit__evaluation__member").get(pk=report_id)
        if report.pdf or report.state != GroupReport.State.SIGNED:
            return report
        signatures = list(report.signatures.filter(voided_at__isnull=True).select_related("expert"))
        roles = {i.expert_id: i.get_role_display() for i in group_of(report.visit)}
        pdf = render_pdf("experts/group_report_pdf.html", {
            "report": report, "visit": report.visit, "evaluation": report.visit.evaluation,
            "signatures": [(s, roles.get(s.expert_id, "")) for s in signatures]})
        report.pdf.save(f"group-report-{report.pk}.pdf", ContentFile(pdf), save=False)
        report.save(update_fields=["pdf"])
    return report
