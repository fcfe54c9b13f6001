"""The result: the initial result with its report, and the committee's decision."""
import datetime as dt

from django.db import transaction

from ..exceptions import CommitteeRuleBroken
from ..models import CommitteeMeeting, Evaluation
from ._common import K, evaluation_move, meet_clock, start_clock, tell_member
from .scoring import evaluators_score


def evaluation_initial_result(*, evaluation_id: int, report, by) -> Evaluation:
    """Give the initial result: the evaluators' score, the result it earns by the programme's
    rules, and the report; the appeal window opens."""
    def give(evaluation):
        score = evaluators_score(evaluation)
        result = evaluation.rules.result_for(evaluation, score)
        evaluation.report.save(f"report-{evaluation.pk}.pdf", report, save=False)
        evaluation.give_initial_result(score=score, grade=result, by=by, description=f"初评 {score} 分，{result}")

    def then(evaluation):
        meet_clock(evaluation, K.REPORT)
        window = start_clock(evaluation, K.APPEAL_WINDOW)
        tell_member(evaluation, "evaluation_initial_result", closes=window.due_on)

    return evaluation_move(evaluation_id, give, then=then)


def evaluation_record_meeting(*, evaluation_id: int, held_on: dt.date, attendees: list[str], decision: str,
                              minutes: str, by) -> CommitteeMeeting:
    """A committee meeting decides by the programme's committee rule (credit: ≥5 attending,
    an odd number; at most two per evaluation): public notice (7 working days) or back."""
    # One person counts once however often the name is typed (spaces and case aside).
    distinct: dict[str, str] = {}
    for attendee in attendees:
        name = " ".join(attendee.split())
        if name:
            distinct.setdefault(name.casefold(), name)
    attendees = list(distinct.values())
    recorded = {}

    def decide(evaluation):
        refusal = evaluation.rules.committee.quorum_refusal(present=len(attendees))
        if refusal:
            raise CommitteeRuleBroken(refusal)
        rule = evaluation.rules.committee
        if evaluation.meetings.count() >= rule.max_meetings:
            raise CommitteeRuleBroken(f"每个参评机构的评审会议不得超过 {rule.max_meetings} 次。")
        recorded["meeting"] = CommitteeMeeting.objects.create(
            evaluation=evaluation, held_on=held_on, attendees="\n".join(attendees), decision=decision, minutes=minutes,
            recorded_by=by)
        if decision == CommitteeMeeting.Decision.APPROVE:
            evaluation.committee_approve(by=by, description=f"评审会议通过（{len(attendees)} 人出席）")
        else:
            evaluation.committee_send_back(by=by, description=minutes[:200] or "评审会议退回重新评价")

    def then(evaluation):
        if decision == CommitteeMeeting.Decision.APPROVE:
            start_clock(evaluation, K.NOTICE)
            tell_member(evaluation, "evaluation_notice")
        else:
            start_clock(evaluation, K.REPORT)

    with transaction.atomic():
        evaluation_move(evaluation_id, decide, then=then)
    return recorded["meeting"]
