"""Reads about committee meetings: what each item may decide, who may vote on it and whether
they are enough, a member's view of an agenda, and who may read a case's materials."""
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from evaluation.programmes.base import SEND_BACK
from experts.committees.models import AgendaItem, Attendance, BallotCast, CommitteeMember, Meeting, Recusal
from experts.review.models import GroupReport


def item_options(item: AgendaItem) -> list[tuple[str, str]]:
    """The options on an item's ballot: the programme's, then sending back (the decision too
    when no option has more than half of the ballots cast)."""
    evaluation = item.evaluation
    return [*evaluation.rules.committee_options(evaluation), (SEND_BACK, evaluation.rules.send_back_label)]


@dataclass(frozen=True)
class Quorum:
    eligible: int  # distinct members present and not recused
    committee_size: int
    refusal: str  # why they cannot decide (empty: they can)


def item_quorum(item: AgendaItem) -> Quorum:
    """Distinct present members not recused from the item, judged by the programme's rule."""
    recused = {item.pk: set(item.recusals.values_list("member", flat=True))}
    return _quorums(item.meeting, [item], _present(attendance_of(item.meeting)), recused)[item.pk]


def _quorums(meeting: Meeting, items: list[AgendaItem], present: set[int],
             recused: dict[int, set[int]]) -> dict[int, Quorum]:
    """Each item's quorum from the meeting's attendance and recusals (already loaded)."""
    size = getattr(meeting, "committee_size", None)
    if size is None:
        size = meeting.committee.members.filter(until__isnull=True).count()
    rule = meeting.rule
    quorums = {}
    for item in items:
        eligible = len(present - recused.get(item.pk, set()))
        quorums[item.pk] = Quorum(eligible, size, rule.quorum_refusal(present=eligible, committee_size=size))
    return quorums


def meeting_for_agenda(pk: int) -> Meeting | None:
    """A meeting with its committee and the committee's current size (for the quorum)."""
    return (Meeting.objects.select_related("committee")
            .annotate(committee_size=Count("committee__members", filter=Q(committee__members__until__isnull=True)))
            .filter(pk=pk).first())


def attendance_of(meeting: Meeting) -> dict[int, bool]:
    """Who was recorded, present or not, by member id (a committee: at most 25 rows)."""
    return dict(Attendance.objects.filter(meeting=meeting).values_list("member", "present"))


def _present(attendance: dict[int, bool]) -> set[int]:
    return {member_id for member_id, here in attendance.items() if here}


def meetings_of(user) -> QuerySet[Meeting]:
    """The meetings of the committees the user sits on now, newest first."""
    seats = CommitteeMember.objects.filter(user=user, until__isnull=True).values("committee")
    return Meeting.objects.filter(committee__in=seats).select_related("committee").order_by("-held_at")


def agenda_for(meeting: Meeting, member: CommitteeMember | None,
               attendance: dict[int, bool] | None = None) -> list[AgendaItem]:
    """The meeting's items, each with ``my_recusal`` and ``i_voted`` for ``member``, its options,
    and while voting its ``quorum``; a constant number of queries (``attendance`` as
    attendance_of gives it, when the caller has it already)."""
    items = meeting.items.select_related("evaluation__member", "evaluation__programme").order_by("position")
    if member is not None:
        items = items.annotate(i_voted=Exists(BallotCast.objects.filter(item=OuterRef("pk"), member=member)))
    items = list(items)
    recusals: dict[int, list[Recusal]] = {}
    for recusal in Recusal.objects.filter(item__in=items):
        recusals.setdefault(recusal.item_id, []).append(recusal)
    reports = {r.visit.evaluation_id: r for r in GroupReport.objects.filter(
        visit__evaluation__in=[i.evaluation_id for i in items]).exclude(pdf="").select_related("visit")}
    quorums = {}
    if meeting.state == Meeting.State.VOTING:
        present = _present(attendance_of(meeting) if attendance is None else attendance)
        recused = {item_id: {r.member_id for r in rows} for item_id, rows in recusals.items()}
        quorums = _quorums(meeting, items, present, recused)
    for item in items:
        item.group_report = reports.get(item.evaluation_id)
        item.quorum = quorums.get(item.pk)
        item.my_recusal = next((r for r in recusals.get(item.pk, ()) if member and r.member_id == member.pk), None)
        item.options = item_options(item)
        labels = dict(item.options)
        item.suggestion_label = labels.get(item.suggestion, "")
        item.outcome_label = labels.get(item.outcome, "未作决定" if item.outcome else "")
    return items


def sits_on_agenda(user, evaluation) -> bool:
    """A current committee member (not recused) of a meeting with the case on its agenda:
    they may read the case's materials."""
    if not user.is_authenticated:
        return False
    seats = CommitteeMember.objects.filter(user=user, until__isnull=True)
    return (AgendaItem.objects.filter(evaluation=evaluation, meeting__committee__in=seats.values("committee"))
            .exclude(meeting__state=Meeting.State.CANCELLED)
            .exclude(recusals__member__in=seats).exists())
