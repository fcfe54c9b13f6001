"""Writes of the experts app: assigning evaluators to evaluations (conflicts refused)."""
import logging

from django.db import IntegrityError, transaction

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
    except IntegrityError:
        raise AssignmentRefused(f"{evaluator.name} 已被指派到该评价。") from None
    logger.info("evaluator %s assigned to evaluation %s", evaluator.pk, evaluation.pk)
    return assignment
