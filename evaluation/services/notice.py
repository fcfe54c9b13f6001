"""The public notice: anyone may object; the office decides each objection (who, when, why);
an upheld one sends the result back to the committee; the notice ends by publishing, unless
an objection is still pending, and then the last dismissal publishes."""
from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from core.uploads import original_name

from ..exceptions import AlreadyDecided, Incomplete
from ..models import Objection
from ..selectors import notice_held
from ._common import K, evaluation_move, locked_evaluation, logger, meet_clock, require, tell_office
from .publication import evaluation_publish


def objection_submit(*, evaluation_id: int, name: str, contact: str, text: str, attachment=None) -> Objection:
    """Anyone may object while an evaluation is under public notice; the office is told."""
    with transaction.atomic():
        evaluation = locked_evaluation(evaluation_id)
        if not can_proceed(evaluation.uphold_objection):
            raise Incomplete("该机构当前不在公示期内。")
        objection = Objection(evaluation=evaluation, name=name, contact=contact, text=text)
        if attachment:
            objection.attachment_name = original_name(attachment)
            objection.attachment.save(attachment.name, attachment, save=False)
        objection.save()
        tell_office(evaluation, "evaluation_objection", objection=objection)
    return objection


def objection_decide(*, objection_id: int, upheld: bool, reason: str, by) -> Objection:
    """Decide an objection, keeping who, when and why. Upheld: the notice stops and the result
    goes back to the committee. Dismissed after the notice ran out: if it was the last one
    pending, nothing holds the result any more and it is published."""
    require(reason, "请填写核查说明。")
    with transaction.atomic():
        objection = Objection.objects.select_for_update().get(pk=objection_id)
        if objection.decision != Objection.Decision.PENDING:
            raise AlreadyDecided("该异议已处理。")
        objection.decision = Objection.Decision.UPHELD if upheld else Objection.Decision.DISMISSED
        objection.decision_reason, objection.decided_by, objection.decided_at = reason, by, timezone.now()
        objection.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at"])
        if upheld:
            evaluation_move(objection.evaluation_id,
                            lambda e: e.uphold_objection(by=by, description=f"公示异议成立：{reason[:150]}"),
                            then=lambda e: meet_clock(e, K.NOTICE))
        else:
            evaluation = locked_evaluation(objection.evaluation_id)
            if notice_held(evaluation) and not evaluation.objections.filter(
                    decision=Objection.Decision.PENDING).exists():
                evaluation_publish(evaluation=evaluation, by=by)
    logger.info("objection %s decided by %s: %s", objection.pk, getattr(by, "pk", None), objection.decision)
    return objection


def notice_end(*, evaluation_id: int) -> bool:
    """The notice ran its days (the scanner): publish, unless an objection is pending (then
    the office is told; the last dismissal publishes). Returns whether it published."""
    with transaction.atomic():
        evaluation = locked_evaluation(evaluation_id)
        if not can_proceed(evaluation.publish):
            return False
        if evaluation.objections.filter(decision=Objection.Decision.PENDING).exists():
            deadline = evaluation.deadlines.get(kind=K.NOTICE)
            tell_office(evaluation, "evaluation_deadline_overdue", deadline=deadline)
            return False
        evaluation_publish(evaluation=evaluation)
    return True
