"""The on-site review's two steps on the evaluation (004 §20). The experts app runs the draw,
the invitations and the group report, and calls these when the visit is notified and when the
report is signed by every member; evaluation never looks at the experts app's models."""
from ._common import evaluation_move, logger, tell_member, tell_office


def evaluation_start_visit(*, evaluation_id: int, first_day, by):
    """The group is confirmed and the institution notified: the on-site review begins, and
    the assigned experts may score."""
    evaluation = evaluation_move(evaluation_id, lambda e: e.start_visit(
        by=by, description=f"已通知现场评价，首日 {first_day:%Y-%m-%d}"))
    logger.info("evaluation %s: on-site review notified by %s", evaluation_id, by.pk)
    return evaluation


def evaluation_send_to_committee(*, evaluation_id: int, total, by):
    """Every expert scored and every member signed the group report: the committee is next.
    The institution is told that the on-site feedback (反馈讲评) is on its evaluation page."""
    def then(evaluation):
        tell_member(evaluation, "evaluation_visit_reported")
        tell_office(evaluation, "evaluation_ready_for_committee", total=total)

    evaluation = evaluation_move(evaluation_id, lambda e: e.send_to_committee(
        score=total, by=by, description=f"专家组评价报告全体签字，得分 {total}"), then=then)
    logger.info("evaluation %s: group report signed, to the committee", evaluation_id)
    return evaluation
