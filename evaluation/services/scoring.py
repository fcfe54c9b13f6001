"""The standard and its scoring: importing a programme's criteria, assigning evaluators or
experts (the experts app calls these; it never writes evaluation's models), per-item scores
within each maximum, submission, recusal, and the evaluation's score."""
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Avg
from django.urls import reverse
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from core.notifications import notification_send

from ..exceptions import AlreadyDecided, Incomplete
from ..models import Assignment, Criterion, CriterionScore, Evaluation, Option, Programme
from ..selectors import items_of
from ._common import logger, require, tell_office
from .self_assessment import out_of_100


def standard_import(*, programme: Programme, chapters: list[dict]) -> int:
    """Create a programme's standard from data: ``[{"text": chapter, "items": [{"text",
    "max_points", "evidence_required", "guidance", "options": [(label, points)]}]}]``; credit
    items carry self-assessment options (an item's maximum defaults to its best option).
    Returns the number of items created."""
    created = 0
    with transaction.atomic():
        start = programme.criteria.filter(parent__isnull=True).count()
        for chapter_no, chapter in enumerate(chapters, start=start + 1):
            parent = Criterion.objects.create(programme=programme, code=str(chapter_no), text=chapter["text"],
                                              position=chapter_no)
            for item_no, item in enumerate(chapter["items"], start=1):
                options = item.get("options", [])
                best = max((Decimal(points) for _, points in options), default=None)
                criterion = Criterion.objects.create(
                    programme=programme, parent=parent, code=f"{chapter_no}.{item_no}", text=item["text"],
                    max_points=Decimal(item.get("max_points", best if best is not None else 0)),
                    evidence_required=item.get("evidence_required", False), guidance=item.get("guidance", ""),
                    position=item_no)
                Option.objects.bulk_create([Option(criterion=criterion, text=label, points=Decimal(points), position=n)
                                            for n, (label, points) in enumerate(options)])
                created += 1
    logger.info("standard of %s: %d items imported", programme, created)
    return created


def assignment_create(*, evaluation_id: int, evaluator, by) -> Assignment:
    """Assign a person (a credit evaluator, later an expert) to score an evaluation; the
    caller has checked conflicts of interest. They are told after commit."""
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.get(pk=evaluation_id)
            assignment = Assignment.objects.create(evaluation=evaluation, evaluator=evaluator, assigned_by=by)
            url = reverse("experts:assignment", args=[assignment.pk])
            transaction.on_commit(lambda: notification_send(
                template="evaluation_assigned", user=evaluator, url=url,
                context={"evaluation": evaluation, "url": url}))
    except IntegrityError:
        raise AlreadyDecided(f"{evaluator.get_full_name()} 已被指派到该评价。") from None
    logger.info("user %s assigned to evaluation %s by %s", evaluator.pk, evaluation_id, getattr(by, "pk", None))
    return assignment


def assignment_save_scores(*, assignment_id: int, scores: dict[int, tuple[Decimal, str]], comment: str,
                           submit: bool, by) -> Assignment:
    """Save an evaluator's per-item scores (each within the item's maximum, with a comment);
    submitting needs every item scored, fixes the total out of 100 and is logged."""
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().select_related("evaluation__programme").get(
            pk=assignment_id, evaluator=by)
        if assignment.state != Assignment.State.ASSIGNED:
            raise Incomplete("评分已提交，不能再修改。")
        if not assignment.evaluation.scoring_open:
            raise Incomplete("该评价当前不在评分阶段。")
        items = list(items_of(assignment.evaluation.programme))
        maximum = {item.pk: item.max_points or Decimal(0) for item in items}
        texts = {item.pk: item.text for item in items}
        for criterion_id, (score, note) in scores.items():
            if criterion_id not in maximum:
                continue
            if not Decimal(0) <= score <= maximum[criterion_id]:
                top = f"{maximum[criterion_id]:.2f}".rstrip("0").rstrip(".")
                raise Incomplete(f"“{texts[criterion_id][:40]}”的评分应在 0 至 {top} 分之间。")
            CriterionScore.objects.update_or_create(assignment=assignment, criterion_id=criterion_id,
                                                    defaults={"score": score, "comment": note})
        assignment.comment = comment
        if submit:
            scored = dict(assignment.scores.values_list("criterion_id", "score"))
            if set(scored) != set(maximum):
                raise Incomplete("请对全部评价条目评分后再提交。")
            total = out_of_100(sum(scored.values()), sum(maximum.values()))
            assignment.submit(total=total, at=timezone.now(), by=by, description=f"提交评分 {total} / 100")
        assignment.save()
        if submit and not assignment.evaluation.assignments.filter(state=Assignment.State.ASSIGNED).exists():
            tell_office(assignment.evaluation, "evaluation_scores_complete",
                        score=evaluators_score(assignment.evaluation))
    return assignment


def assignment_recuse(*, assignment_id: int, reason: str, by) -> Assignment:
    """End an assignment because of a conflict of interest found after it was made. It stays
    on record as recused (with its scores, excluded from the result), logged with who and why,
    and the evaluator loses access to the evaluation and its files at once."""
    require(reason, "请填写回避原因。")
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().get(pk=assignment_id)
        try:
            assignment.recuse(reason=reason, at=timezone.now(), by=by, description=reason[:200])
        except TransitionNotAllowed:
            return assignment  # recused already
        assignment.save()
    logger.info("assignment %s recused by %s: %s", assignment.pk, getattr(by, "pk", None), reason)
    return assignment


def evaluators_score(evaluation: Evaluation) -> Decimal:
    """The evaluation score: the mean of the submitted evaluators' totals (not the self-score)."""
    mean = evaluation.assignments.filter(state=Assignment.State.SUBMITTED).aggregate(mean=Avg("total"))["mean"]
    if mean is None:
        raise Incomplete("尚无评价人员提交评分。")
    return Decimal(mean).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
