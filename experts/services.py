"""Writes of the experts app: assigning evaluators to evaluations (conflicts refused)."""
import logging

from django.db import IntegrityError, transaction

from evaluation import services as evaluation_services
from evaluation.models import Assignment, Evaluation

from .exceptions import AssignmentRefused
from .models import Evaluator

logger = logging.getLogger(__name__)


def assignment_create(*, evaluation: Evaluation, evaluator: Evaluator, by) -> Assignment:
    """Assign an evaluator; one employed by the institution under evaluation is refused."""
    if not evaluator.is_active:
        raise AssignmentRefused(f"{evaluator.name} 当前不可指派。")
    if evaluator.conflicts_with(evaluation.member):
        raise AssignmentRefused(f"{evaluator.name} 任职于参评机构 {evaluation.member.name}，须回避，不能指派。")
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(evaluation=evaluation, evaluator=evaluator.user, assigned_by=by)
            evaluation_services.assignment_tell_evaluator(assignment)
    except IntegrityError:
        raise AssignmentRefused(f"{evaluator.name} 已被指派到该评价。") from None
    logger.info("evaluator %s assigned to evaluation %s", evaluator.pk, evaluation.pk)
    return assignment


def evaluator_recheck_conflicts(*, evaluator: Evaluator, by) -> list[Assignment]:
    """After the office changes what is known about an evaluator (a new employer, say), end
    every open assignment that now conflicts: recused, on record, access gone."""
    ended = []
    open_assignments = (Assignment.objects.filter(evaluator=evaluator.user)
                        .exclude(state=Assignment.State.RECUSED).select_related("evaluation__member"))
    for assignment in open_assignments:
        if evaluator.conflicts_with(assignment.evaluation.member):
            ended.append(evaluation_services.assignment_recuse(
                assignment_id=assignment.pk, by=by,
                reason=f"{evaluator.name} 任职于参评机构 {assignment.evaluation.member.name}，须回避。"))
    return ended
