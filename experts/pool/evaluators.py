"""Writes of the experts app. Assigning evaluators checks what experts knows (who is active,
who has a conflict with the institution) and then asks evaluation's assignment services; the
experts app never writes evaluation's models itself."""
import logging

from evaluation import selectors as evaluation_selectors
from evaluation import services as evaluation_services
from evaluation.exceptions import EvaluationError
from experts.exceptions import AssignmentRefused
from experts.pool.models import Evaluator

logger = logging.getLogger(__name__)


def assignment_create(*, evaluation, evaluator: Evaluator, by):
    """Assign an evaluator; one inactive, or employed by the institution under evaluation, is refused."""
    if not evaluator.is_active:
        raise AssignmentRefused(f"{evaluator.name} 当前不可指派。")
    if evaluator.conflicts_with(evaluation.member):
        raise AssignmentRefused(f"{evaluator.name} 任职于参评机构 {evaluation.member.name}，须回避，不能指派。")
    try:
        return evaluation_services.assignment_create(evaluation_id=evaluation.pk, evaluator=evaluator.user, by=by)
    except EvaluationError as exc:
        raise AssignmentRefused(str(exc)) from None


def evaluator_recheck_conflicts(*, evaluator: Evaluator, by) -> list:
    """After the office changes what is known about an evaluator (a new employer, say), end
    every open assignment that now conflicts: recused, on record, access gone."""
    ended = []
    for assignment in evaluation_selectors.assignments_of(user=evaluator.user):
        if evaluator.conflicts_with(assignment.evaluation.member):
            ended.append(evaluation_services.assignment_recuse(
                assignment_id=assignment.pk, by=by,
                reason=f"{evaluator.name} 任职于参评机构 {assignment.evaluation.member.name}，须回避。"))
    logger.info("evaluator %s rechecked by %s: %d assignments recused", evaluator.pk, by.pk, len(ended))
    return ended
