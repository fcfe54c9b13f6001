"""Constituted committees, cases waiting for them, and meetings driven to any step."""
import datetime as dt

from django.utils import timezone

from evaluation.models import Evaluation, Programme
from experts.committees import meetings
from experts.committees import services as committees
from experts.models import AgendaItem, Committee, CommitteeMember, Meeting
from experts.pool.tests.helpers import appointed
from experts.review import reports
from experts.review.tests import helpers as v
from tests.accounts.factories import UserFactory
from tests.evaluation import helpers as h
from tests.membership.factories import UnitMemberFactory


def committee(kind: str, size: int = 9) -> Committee:
    """A constituted committee of ``size``: the first seat chairs, the second is the secretary."""
    today, staff = timezone.localdate(), h.office()
    body = Committee.objects.filter(kind=kind).first() or Committee.objects.create(
        kind=kind, name="评价领导小组" if kind == "leading_group" else "评价委员会", term_start=today,
        term_end=today + dt.timedelta(days=3 * 365))
    for i in range(size):
        user = appointed().user if body.needs_experts else UserFactory()
        committees.committee_add_member(committee_id=body.pk, user=user, by=staff,
                                        role={0: "chair", 1: "secretary"}.get(i, "member"))
    committees.committee_constitute(committee_id=body.pk, by=staff)
    return Committee.objects.get(pk=body.pk)


def seats(body: Committee) -> list[CommitteeMember]:
    return list(body.members.filter(until__isnull=True).select_related("user", "expert").order_by("pk"))


def credit_grade(member, grade: str) -> None:
    """A published credit result for ``member`` (what the star cap reads)."""
    h.credit()
    now = timezone.now()
    published = Evaluation.objects.create(programme=Programme.objects.get(kind="credit"), member=member, agreed_at=now,
                                          grade=grade, published_at=now,
                                          valid_until=timezone.localdate() + dt.timedelta(days=365))
    Evaluation.objects.filter(pk=published.pk).update(state=Evaluation.State.PUBLISHED)


def capability_case(grade: str = "AAA", points=None):
    """A star evaluation whose group report every member signed (82 of 100): in committee.
    Returns (evaluation, visit)."""
    member = UnitMemberFactory(state="active")
    credit_grade(member, grade)
    v.trained_pool()
    visit = v.notified(v.drawn(v.planned(v.in_expert_review(member))))
    v.score_all(visit, *([points] if points else []))
    report = v.circulated(visit)
    for seat in v.seated(visit):
        reports.report_sign(visit_id=visit.pk, content_hash=report.content_hash, by=seat.expert.user)
    return Evaluation.objects.get(pk=visit.evaluation_id), visit


def convene(body: Committee, *evaluations) -> Meeting:
    return meetings.meeting_convene(committee_id=body.pk, held_at=timezone.now() + dt.timedelta(days=3), online=True,
                                    place="线上会议室 1", evaluation_ids=[e.pk for e in evaluations], by=h.office())


def open_with(meeting: Meeting, present: list[CommitteeMember]) -> Meeting:
    """The meeting's time has come: attendance is recorded and the vote opens."""
    Meeting.objects.filter(pk=meeting.pk, held_at__gt=timezone.now()).update(held_at=timezone.now())
    return meetings.meeting_open_voting(meeting_id=meeting.pk, present_member_ids=[s.pk for s in present],
                                        by=h.office())


def item(meeting: Meeting, evaluation) -> AgendaItem:
    return meeting.items.get(evaluation=evaluation)


def vote(meeting: Meeting, evaluation, voters: list[CommitteeMember], choices: list[str]) -> list[str]:
    agenda = item(meeting, evaluation)
    return [meetings.ballot_cast(item_id=agenda.pk, choice=c, by=s.user) for s, c in zip(voters, choices, strict=True)]


def decided(body: Committee, evaluation, choice: str, voters: int = 5) -> Meeting:
    """A whole meeting on one case: convened, ``voters`` present, all voting ``choice``, counted."""
    meeting = convene(body, evaluation)
    present = seats(body)[:voters]
    open_with(meeting, present)
    vote(meeting, evaluation, present, [choice] * voters)
    return meetings.meeting_close(meeting_id=meeting.pk, by=h.office())
