"""Publication and after: the certificate number and validity, certificates by Celery, the
final report, downgrade, revocation, the one extension, and expiry. Superseded files stay."""
import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from core.outbox import job_enqueue

from ..exceptions import Incomplete, ResultChangeRefused
from ..models import Evaluation, SupersededFile
from ._common import (
    K,
    evaluation_move,
    guarded_save,
    locked_evaluation,
    logger,
    meet_clock,
    require,
    start_clock,
    tell_member,
)

RENEWAL_MONTHS = 6


def evaluation_publish(*, evaluation: Evaluation, by=None) -> Evaluation:
    """Inside a transaction holding the row: publish with the programme's certificate number
    and validity; the certificate and plaque are made by Celery (outbox)."""
    now = timezone.now()
    today = timezone.localdate(now)
    valid_until = today + relativedelta(years=evaluation.programme.validity_years) - dt.timedelta(days=1)
    number = evaluation.rules.certificate_number(evaluation, today)
    evaluation.publish(at=now, valid_until=valid_until, certificate_no=number, by=by, description="公示期满，发布结果")
    guarded_save(evaluation)
    meet_clock(evaluation, K.NOTICE)
    if K.FINAL_REPORT in evaluation.rules.clocks:
        start_clock(evaluation, K.FINAL_REPORT)
    enqueue_certificates(evaluation.pk)
    tell_member(evaluation, "evaluation_published")
    return evaluation


def enqueue_certificates(evaluation_id: int) -> None:
    from ..tasks import generate_certificates

    job_enqueue(generate_certificates, evaluation_id)


def keep_superseded(evaluation: Evaluation, field: str, reason: str, by) -> None:
    """Before a file of the evaluation is replaced or cleared, keep the old one as history."""
    current = getattr(evaluation, field)
    if current:
        SupersededFile.objects.create(evaluation=evaluation, field=evaluation._meta.get_field(field).verbose_name,
                                      file=current.name, reason=reason, replaced_by=by)


def evaluation_upload_final_report(*, evaluation_id: int, file, by) -> Evaluation:
    with transaction.atomic():
        evaluation = locked_evaluation(evaluation_id)
        if not evaluation.is_current_result:
            raise Incomplete("结果发布后才能上传最终评价报告。")
        keep_superseded(evaluation, "final_report", "上传新版最终评价报告", by)
        evaluation.final_report.save(f"final-{evaluation.pk}.pdf", file, save=False)
        evaluation.save(update_fields=["final_report"])
        meet_clock(evaluation, K.FINAL_REPORT)
    logger.info("evaluation %s: final report uploaded by %s", evaluation.pk, by.pk)
    return evaluation


def evaluation_downgrade(*, evaluation_id: int, grade: str, reason: str, by) -> Evaluation:
    """Lower a published result (committee-approved, with reason); the old certificate and
    plaque are kept and new ones made."""
    require(reason, "请填写降级原因及评审领导小组核准情况。")

    def downgrade(evaluation):
        order = dict(evaluation.programme.grade_bands.values_list("grade", "min_score"))
        if grade not in order or order[grade] >= order.get(evaluation.grade, Decimal(101)):
            raise ResultChangeRefused("降级后的等级必须低于当前等级。")
        previous = evaluation.grade
        evaluation.downgrade(grade=grade, reason=reason, by=by, description=f"降为 {grade}：{reason[:150]}")
        for field in ("certificate", "plaque"):
            keep_superseded(evaluation, field, f"由 {previous} 降为 {grade}，证书重新制作", by)
        evaluation.certificate = evaluation.plaque = ""

    return evaluation_move(evaluation_id, downgrade, then=lambda e: (
        enqueue_certificates(e.pk), tell_member(e, "evaluation_changed", reason=reason)))


def evaluation_revoke(*, evaluation_id: int, reason: str, by) -> Evaluation:
    require(reason, "请填写撤销原因及评审领导小组核准情况。")
    return evaluation_move(evaluation_id, lambda e: e.revoke(reason=reason, by=by, description=reason[:200]),
                           then=lambda e: tell_member(e, "evaluation_changed", reason=reason))


def evaluation_extend(*, evaluation_id: int, months: int, reason: str, by) -> Evaluation:
    """One extension of at most 6 months on a written reason, kept on the record and in the log."""
    require(reason, "请填写延期原因。")
    if not 1 <= months <= RENEWAL_MONTHS:
        raise ResultChangeRefused("延期时间为 1 至 6 个月。")

    def extend(evaluation):
        if evaluation.extended:
            raise ResultChangeRefused("每项评价结果只能延期一次。")
        valid_until = evaluation.valid_until + relativedelta(months=months)
        evaluation.extend(valid_until=valid_until, reason=reason, by=by,
                          description=f"延期 {months} 个月至 {valid_until:%Y-%m-%d}：{reason[:150]}")

    return evaluation_move(evaluation_id, extend)


def evaluation_expire(*, evaluation_id: int) -> Evaluation:
    """Validity ended (the scanner); the institution is told, and the registry shows 失效."""
    def expire(evaluation):
        evaluation.expire(description=f"有效期于 {evaluation.valid_until:%Y-%m-%d} 届满")

    return evaluation_move(evaluation_id, expire, then=lambda e: tell_member(e, "evaluation_expired"))
