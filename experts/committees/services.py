"""Writes about the committees' membership: seating and releasing members (a capability
committee member must be an appointed expert), naming the chair and the secretary, and
constituting the committee once its size is within the regulation's range. Each locks the
committee; sizes are checked under that lock, and "one seat per person, one chair, one
secretary" are database constraints."""
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from experts.committees.models import Committee, CommitteeMember
from experts.exceptions import CommitteeRuleBroken
from experts.pool.models import Expert

logger = logging.getLogger(__name__)


def _locked(committee_id: int) -> Committee:
    return Committee.objects.select_for_update().get(pk=committee_id)


def _current(committee: Committee):
    return committee.members.filter(until__isnull=True)


def committee_add_member(*, committee_id: int, user, role: str = CommitteeMember.Role.MEMBER, title: str = "",
                         by) -> CommitteeMember:
    """Seat a person (for the capability committee: an appointed expert from the pool), refused
    above the committee's largest size or if already seated; chair and secretary are one each."""
    if role not in CommitteeMember.Role.values:
        raise CommitteeRuleBroken("请选择职务。")
    with transaction.atomic():
        committee = _locked(committee_id)
        fewest, most = committee.size_range
        if _current(committee).count() >= most:
            raise CommitteeRuleBroken(f"{committee.get_kind_display()}至多 {most} 人，已满员。")
        expert = Expert.objects.filter(user=user).first()
        if committee.needs_experts and (expert is None or expert.state != Expert.State.APPOINTED):
            raise CommitteeRuleBroken("评价委员会委员须为在聘的评价专家（管理办法第十条）。")
        try:
            with transaction.atomic():
                member = CommitteeMember.objects.create(
                    committee=committee, user=user, expert=expert, name=expert.name if expert else user.get_full_name(),
                    title=title.strip(), role=role, since=timezone.localdate(), added_by=by)
        except IntegrityError:
            raise CommitteeRuleBroken("此人已是本委员会委员，或该职务已有人担任。") from None
    logger.info("committee %s: user %s seated as %s by %s", committee_id, user.pk, role, by.pk)
    return member


def committee_release_member(*, committee_id: int, member_id: int, reason: str, by) -> CommitteeMember:
    """A member leaves (kept on record with the day and the reason); a constituted committee
    may not fall below its smallest size."""
    if not (reason or "").strip():
        raise CommitteeRuleBroken("请填写离任原因。")
    with transaction.atomic():
        committee = _locked(committee_id)
        member = _current(committee).filter(pk=member_id).first()
        if member is None:
            raise CommitteeRuleBroken("该委员已离任。")
        fewest, _ = committee.size_range
        if committee.state == Committee.State.CONSTITUTED and _current(committee).count() <= fewest:
            raise CommitteeRuleBroken(f"{committee.get_kind_display()}不得少于 {fewest} 人，请先增补委员。")
        member.until, member.leave_reason = timezone.localdate(), reason.strip()[:200]
        member.save(update_fields=["until", "leave_reason"])
    logger.info("committee %s: member %s released by %s: %s", committee_id, member_id, by.pk, reason)
    return member


def committee_constitute(*, committee_id: int, by) -> Committee:
    """组建完成: within the regulation's size, with a chair and a secretary."""
    with transaction.atomic():
        committee = _locked(committee_id)
        fewest, most = committee.size_range
        current = _current(committee)
        size = current.count()
        if not fewest <= size <= most:
            raise CommitteeRuleBroken(f"{committee.get_kind_display()}应为 {fewest}~{most} 人，现有 {size} 人。")
        roles = set(current.values_list("role", flat=True))
        if not {CommitteeMember.Role.CHAIR, CommitteeMember.Role.SECRETARY} <= roles:
            raise CommitteeRuleBroken("请先确定主任（组长）和秘书。")
        try:
            committee.constitute(at=timezone.now(), by=by, description=f"组建完成，{size} 人")
        except TransitionNotAllowed:
            raise CommitteeRuleBroken("该委员会已组建。") from None
        committee.save()
    logger.info("committee %s constituted by %s with %d members", committee_id, by.pk, size)
    return committee
