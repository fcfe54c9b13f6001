"""Two people for the steps that could steer a drawn group (SECURITY.md 25): cancelling a
visit whose group was drawn (a new draw would give another group) and seating a reserve
other than the next in rank. One member of the office asks with a reason, another approves
or refuses with theirs; nobody approves their own request. The step is taken on approval,
under the visit's lock, and the record shows both names (and the replay the override)."""
import logging

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.roles import EVALUATION_OFFICE, notify_role
from experts.exceptions import VisitRuleBroken
from experts.review.models import Invitation, SecondApproval, Visit
from experts.review.services import locked_visit, next_reserve, seat_override, visit_call_off

logger = logging.getLogger(__name__)
Kind = SecondApproval.Kind


def approval_request(*, visit_id: int, kind: str, reason: str, by, invitation_id: int | None = None,
                     replacement_id: int | None = None) -> SecondApproval:
    """Ask a second person to cancel the drawn visit, or to seat the named reserve in the
    named member's place. One request waits per visit at a time (a constraint)."""
    reason = (reason or "").strip()
    if not reason:
        raise VisitRuleBroken("请填写申请理由。")
    with transaction.atomic():
        visit = locked_visit(visit_id)
        invitation = replacement = None
        if kind == Kind.CANCEL:
            if not visit.drawn or visit.state not in (Visit.State.INVITING, Visit.State.READY):
                raise VisitRuleBroken("只有已抽取、尚未通知受评单位的安排须申请取消。")
        elif kind == Kind.NAMED_REPLACEMENT:
            invitation = visit.invitations.select_related("expert").filter(pk=invitation_id).first()
            replacement = visit.invitations.select_related("expert").filter(
                pk=replacement_id, state=Invitation.State.RESERVE).first()
            if invitation is None or not invitation.is_seated or replacement is None:
                raise VisitRuleBroken("请选择调出的专家组成员和本次抽取中的一位候补。")
            if visit.state in (Visit.State.REPORTED, Visit.State.CANCELLED):
                raise VisitRuleBroken("该现场评价已结束，不能调整专家组。")
            if replacement == next_reserve(visit, invitation):
                raise VisitRuleBroken(f"{replacement.expert.name} 就是顺位递补的候补，请直接“调整专家”。")
        else:
            raise VisitRuleBroken("请选择申请事项。")
        try:
            with transaction.atomic():
                approval = SecondApproval.objects.create(visit=visit, kind=kind, invitation=invitation,
                                                         replacement=replacement, reason=reason, requested_by=by)
        except IntegrityError:
            raise VisitRuleBroken("该现场评价已有一项待审批的申请，请先审批。") from None
        notify_role(EVALUATION_OFFICE, template="visit_approval_requested", context={"approval": approval},
                    url=reverse("admin:experts_visit_change", args=[visit.pk]))
    logger.info("visit %s: %s requested by %s: %s", visit.pk, kind, by.pk, reason)
    return approval


def approval_decide(*, visit_id: int, approve: bool, note: str, by) -> SecondApproval:
    """The second person approves (the step is taken now) or refuses the visit's waiting
    request, with their reason; the requester cannot decide their own request."""
    note = (note or "").strip()
    if not note:
        raise VisitRuleBroken("请填写审批意见。")
    with transaction.atomic():
        visit = locked_visit(visit_id)
        approval = (SecondApproval.objects.select_for_update(of=("self",)).select_related("requested_by")
                    .filter(visit=visit, approved__isnull=True).first())
        if approval is None:
            raise VisitRuleBroken("该现场评价没有待审批的申请。")
        if approval.requested_by_id == by.pk:
            raise VisitRuleBroken("申请须由申请人以外的另一位工作人员审批。")
        approval.approved, approval.decided_by, approval.decided_at, approval.decision_note = (
            approve, by, timezone.now(), note)
        approval.save()
        if approve and approval.kind == Kind.CANCEL:
            visit_call_off(visit, reason=approval.reason, by=approval.requested_by, approved_by=by)
        elif approve:
            invitation = visit.invitations.select_related("expert__user").get(pk=approval.invitation_id)
            successor = visit.invitations.select_related("expert__user").get(pk=approval.replacement_id)
            seat_override(visit, invitation, reason=approval.reason, by=approval.requested_by, successor=successor,
                          approved_by=by)
    logger.info("visit %s: %s %s by %s: %s", visit.pk, approval.kind, "approved" if approve else "refused", by.pk, note)
    return approval
