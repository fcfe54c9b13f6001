"""The result: the initial result with its report, and the committee's decision on it."""
from ..exceptions import CommitteeRuleBroken
from ..models import Evaluation
from ..programmes.base import SEND_BACK
from ._common import K, evaluation_move, meet_clock, notice_start_if_due, start_clock, tell_member
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
        open_appeal_window(evaluation)

    return evaluation_move(evaluation_id, give, then=then)


def open_appeal_window(evaluation: Evaluation) -> None:
    window = start_clock(evaluation, K.APPEAL_WINDOW)
    tell_member(evaluation, "evaluation_initial_result", closes=window.due_on)


def evaluation_committee_decide(*, evaluation_id: int, option: str, record: str, by, meeting: bool = True) -> Evaluation:
    """Apply what the committee decided on the case (a meeting's tally, or, once the meetings
    are used up, the leading group's written decision, ``meeting=False``).

    ``option`` is SEND_BACK or one of the programme's ``committee_options``: credit approves
    the grade (public notice, 7 working days); capability gives the star level as the initial
    result (the appeal window opens; the group's signed report is the institution's to read). Sending back returns the case
    to the evaluators (credit) or the expert group (capability). ``record`` says which meeting
    and what it counted; it is the transition's description."""
    def decide(evaluation):
        rules = evaluation.rules
        allowed = dict(rules.committee_options(evaluation))
        if option != SEND_BACK and option not in allowed:
            raise CommitteeRuleBroken(f"“{option}”不是本案可作出的决定。")
        if meeting:
            if evaluation.meetings_held >= rules.committee.max_meetings:
                raise CommitteeRuleBroken(f"本案已审议 {rules.committee.max_meetings} 次，"
                                          f"不能再上会，应由评价领导小组书面决定。")
            evaluation.meetings_held += 1
        elif evaluation.meetings_held < rules.committee.max_meetings:
            raise CommitteeRuleBroken("书面决定仅用于已召开两次会议仍需审议的案件。")
        if option == SEND_BACK:
            evaluation.committee_send_back(by=by, description=record[:250])
        elif rules.allows("committee_approve", evaluation.state):
            evaluation.committee_approve(by=by, description=record[:250])
        else:
            evaluation.give_initial_result(score=evaluation.score, grade=option, by=by, description=record[:250])

    def then(evaluation):
        if evaluation.state == Evaluation.State.INITIAL_RESULT:
            open_appeal_window(evaluation)
        elif option == SEND_BACK and K.REPORT in evaluation.rules.clocks:
            start_clock(evaluation, K.REPORT)
        notice_start_if_due(evaluation)

    return evaluation_move(evaluation_id, decide, then=then)
