"""对照标准上传材料 (capability): evidence per item of the standard, several files per item with
captions, kept when replaced or removed; submitted only when every item that requires evidence
has some; the office may reopen it with a comment (logged)."""
from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from core.uploads import original_name

from ..exceptions import Incomplete
from ..models import Criterion, Evaluation, Evidence
from ..selectors import missing_evidence
from ._common import evaluation_move, locked_evaluation, logger, require, tell_member, tell_office


def _open_for_evidence(evaluation: Evaluation) -> None:
    if not can_proceed(evaluation.submit_evidence):
        raise Incomplete("当前阶段不能修改佐证材料。")


def evidence_add(*, evaluation_id: int, criterion_id: int, file, caption: str = "", by) -> Evidence:
    """Add one file of evidence to one item (the item must belong to the evaluation's standard)."""
    with transaction.atomic():
        evaluation = locked_evaluation(evaluation_id)
        _open_for_evidence(evaluation)
        criterion = Criterion.objects.filter(pk=criterion_id, programme=evaluation.programme,
                                             parent__isnull=False).first()
        if criterion is None:
            raise Incomplete("该条目不属于本项目的评价标准。")
        evidence = Evidence(evaluation=evaluation, criterion=criterion, original_name=original_name(file),
                            caption=(caption or "").strip()[:200], uploaded_by=by)
        evidence.file.save(file.name, file, save=False)
        evidence.save()
    return evidence


def evidence_remove(*, evaluation_id: int, evidence_id: int, by) -> None:
    """Take a file out of the evidence: it stays on record as superseded, never deleted."""
    with transaction.atomic():
        evaluation = locked_evaluation(evaluation_id)
        _open_for_evidence(evaluation)
        evaluation.evidence.filter(pk=evidence_id, superseded_at__isnull=True).update(superseded_at=timezone.now())


def evaluation_submit_evidence(*, evaluation_id: int, by) -> Evaluation:
    """请确认提交: refused while an item that requires evidence has none (they are listed); then
    the evidence is frozen and the experts' review begins."""
    def submit(evaluation):
        missing = missing_evidence(evaluation)
        if missing:
            codes = "、".join(c.code for c in missing[:20]) + ("等" if len(missing) > 20 else "")
            raise Incomplete(f"还有 {len(missing)} 个须上传佐证的条目没有材料：{codes}。")
        evaluation.submit_evidence(by=by, description="提交全部佐证材料")

    evaluation = evaluation_move(evaluation_id, submit, then=lambda e: tell_office(e, "evaluation_evidence_submitted"))
    logger.info("evaluation %s: evidence submitted by %s", evaluation.pk, by.pk)
    return evaluation


def evaluation_reopen_evidence(*, evaluation_id: int, comment: str, by) -> Evaluation:
    """The office reopens the evidence for the institution, saying what is missing (logged)."""
    require(comment, "请说明需要补充或更正的材料。")
    return evaluation_move(evaluation_id, lambda e: e.reopen_evidence(comment=comment, by=by, description=comment),
                           then=lambda e: tell_member(e, "evaluation_evidence_reopened", comment=comment))
