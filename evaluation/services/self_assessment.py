"""Credit's fee and self-assessment questionnaire: the fee paid through payments opens the
questionnaire; answers are saved and resumed; submitting starts the evaluators' 30 days."""
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Sum
from django_fsm import can_proceed

from ..exceptions import Incomplete
from ..models import Answer, Evaluation, Option
from ..selectors import questionnaire_items, questionnaire_maximum
from ._common import K, evaluation_move, guarded_save, locked_evaluation, start_clock, tell_member, tell_office


def evaluation_fee_paid(*, evaluation_id: int, by=None) -> None:
    """payments calls this inside the paying transaction (idempotent)."""
    evaluation = locked_evaluation(evaluation_id)
    if not can_proceed(evaluation.fee_paid):
        return
    evaluation.fee_paid(by=by, description="评价费已缴纳")
    guarded_save(evaluation)
    tell_member(evaluation, "evaluation_fee_paid")
    tell_office(evaluation, "evaluation_fee_received")


def evaluation_save_answers(*, evaluation_id: int, answers: dict[int, int], by) -> Decimal:
    """Save questionnaire answers (item id → option id); returns the running self-score."""
    with transaction.atomic():
        evaluation = locked_evaluation(evaluation_id)
        if not can_proceed(evaluation.submit_self_assessment):
            raise Incomplete("问卷当前不可填写。")
        options = Option.objects.filter(pk__in=answers.values(), criterion__programme=evaluation.programme)
        by_item = {o.criterion_id: o for o in options if answers.get(o.criterion_id) == o.pk}
        for criterion_id, option in by_item.items():
            Answer.objects.update_or_create(evaluation=evaluation, criterion_id=criterion_id,
                                            defaults={"option": option})
    return self_score(evaluation=evaluation)


def self_score(*, evaluation: Evaluation) -> Decimal:
    """The institution's self-score out of 100 (its points over the questionnaire's maximum),
    on the same scale as the evaluators' scores."""
    points = evaluation.answers.aggregate(total=Sum("option__points"))["total"] or Decimal(0)
    return out_of_100(points, questionnaire_maximum(evaluation.programme))


def out_of_100(points: Decimal, maximum: Decimal) -> Decimal:
    return (Decimal(points) * 100 / (maximum or Decimal(1))).quantize(Decimal("0.01"), ROUND_HALF_UP)


def evaluation_submit_self_assessment(*, evaluation_id: int, by) -> Evaluation:
    """Submit the completed questionnaire; evaluators' report is due in 30 working days."""
    def submit(evaluation):
        answered = set(evaluation.answers.values_list("criterion_id", flat=True))
        unanswered = questionnaire_items(evaluation.programme).filter(required=True).exclude(pk__in=answered).count()
        if unanswered:
            raise Incomplete(f"还有 {unanswered} 道必答题未作答，请完成后再提交。")
        evaluation.submit_self_assessment(self_score=self_score(evaluation=evaluation), by=by,
                                          description="提交自评问卷")

    return evaluation_move(evaluation_id, submit, then=lambda e: (start_clock(e, K.REPORT),
                                                                  tell_office(e, "evaluation_self_assessed")))
