"""The provincial association's first review of a capability application (004 §18, §19(一)):
15 working days, then the office's 10. A province without an association (or one that does not
take part) goes straight to the office."""
from django.db import transaction
from django.utils import timezone

from ..exceptions import AlreadyDecided, Incomplete
from ..models import Evaluation, ProvincialAssociation, ProvincialReview
from ._common import K, locked_evaluation, logger, meet_clock, require, start_clock, tell_office

D = ProvincialReview.Decision


def acceptance_clocks_start(evaluation: Evaluation) -> ProvincialReview | None:
    """After a submission: the provincial association's review when the programme has one and
    the institution's province has an association taking part, else the office's clock."""
    association, form = None, evaluation.online_form
    if "provincial" in evaluation.rules.clocks and form is not None:
        province = (form.data.get("cover") or {}).get("province")
        association = ProvincialAssociation.objects.filter(province=province, is_active=True).first()
    if association is None:
        start_clock(evaluation, K.ACCEPT)
        return None
    start_clock(evaluation, K.PROVINCIAL)
    return ProvincialReview.objects.create(evaluation=evaluation, association=association)


def provincial_review_decide(*, review_id: int, agreed: bool, opinion: str, by) -> ProvincialReview:
    """Record the association's opinion (同意上报 / 不同意上报, with its reasons); the office's
    10 working days start now either way: it accepts only what the association agreed to."""
    require(opinion, "请填写省级协会的审核意见。")
    return _decide(review_id, D.AGREED if agreed else D.OBJECTED, opinion, by)


def provincial_review_lapse(*, review_id: int, reason: str, by) -> ProvincialReview:
    """The association let its 15 working days pass: the office reviews directly, saying so."""
    require(reason, "请说明情况（例如已催办的经过）。")

    def overdue(review):
        clock = review.evaluation.deadlines.filter(kind=K.PROVINCIAL).first()
        if clock is None or clock.due_on >= timezone.localdate():
            raise Incomplete(f"省级协会审核时限至 {clock.due_on:%Y年%m月%d日}，届满后方可由评价办公室直接审核。"
                             if clock else "该申请没有省级协会审核时限。")

    return _decide(review_id, D.LAPSED, reason, by, before=overdue)


def _decide(review_id, decision, opinion, by, before=None) -> ProvincialReview:
    with transaction.atomic():
        evaluation_id = ProvincialReview.objects.values_list("evaluation_id", flat=True).get(pk=review_id)
        evaluation = locked_evaluation(evaluation_id)  # the evaluation first, as every step does
        review = ProvincialReview.objects.select_for_update().get(pk=review_id)
        if not review.is_pending:
            raise AlreadyDecided(f"该初审已记录为“{review.get_decision_display()}”。")
        review.evaluation = evaluation
        if before:
            before(review)
        review.decision, review.opinion = decision, opinion.strip()
        review.decided_by, review.decided_at = by, timezone.now()
        review.save()
        meet_clock(evaluation, K.PROVINCIAL)
        start_clock(evaluation, K.ACCEPT)
        tell_office(evaluation, "evaluation_provincial_reviewed", review=review)
    logger.info("provincial review %s of evaluation %s: %s by user %s", review.pk, evaluation.pk, decision, by.pk)
    return review

