"""Publication and after: the certificate number and validity, certificates by Celery, the
final report, downgrade, revocation, the one extension, and expiry. Superseded files stay."""
import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from core.outbox import job_enqueue

from ..exceptions import Incomplete, ResultChangeRefused
from ..models import Evaluation, ResultChange, SupersededFile
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
    job_enqueue("evaluation.tasks.generate_certificates", evaluation_id)


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


def _result_change(evaluation: Evaluation, *, kind: str, to_grade: str, reason: str, approval: str,
                   approved_on: dt.date, spot_check_id: int | None, by) -> ResultChange:
    """The published record of a downgrade or revocation, with the leading group's approval."""
    spot_check = None
    if spot_check_id is not None:
        spot_check = evaluation.spot_checks.filter(pk=spot_check_id).first()
        if spot_check is None:
            raise ResultChangeRefused("所选抽查/复评记录不属于该评价。")
    return ResultChange.objects.create(
        evaluation=evaluation, kind=kind, from_grade=evaluation.grade, to_grade=to_grade, reason=reason,
        approval=approval, approved_on=approved_on, spot_check=spot_check, recorded_by=by, recorded_at=timezone.now())


def _approved(reason: str, approval: str, approved_on: dt.date | None, what: str) -> None:
    require(reason, f"请填写{what}原因。")
    require(approval, f"{what}须经评价领导小组核准：请填写核准情况（会议或文件）。")
    if approved_on is None or approved_on > timezone.localdate():
        raise ResultChangeRefused("请填写评价领导小组的核准日期（不晚于今天）。")


def evaluation_downgrade(*, evaluation_id: int, grade: str, reason: str, approval: str, approved_on: dt.date,
                         spot_check_id: int | None = None, by) -> Evaluation:
    """Lower a published result on a reason, with the leading group's approval recorded and
    published (004 §23); the old certificate and plaque are kept and new ones made."""
    _approved(reason, approval, approved_on, "降级")

    def downgrade(evaluation):
        order = dict(evaluation.programme.grade_bands.values_list("grade", "min_score"))
        if grade not in order or order[grade] >= order.get(evaluation.grade, Decimal(101)):
            raise ResultChangeRefused("降级后的等级必须低于当前等级。")
        previous = evaluation.grade
        _result_change(evaluation, kind=ResultChange.Kind.DOWNGRADE, to_grade=grade, reason=reason,
                       approval=approval, approved_on=approved_on, spot_check_id=spot_check_id, by=by)
        evaluation.downgrade(grade=grade, reason=reason, by=by,
                             description=f"降为 {grade}：{reason[:120]}（核准：{approval[:60]}）")
        for field in ("certificate", "plaque"):
            keep_superseded(evaluation, field, f"由 {previous} 降为 {grade}，证书重新制作", by)
        evaluation.certificate = evaluation.plaque = ""

    return evaluation_move(evaluation_id, downgrade, then=lambda e: (
        enqueue_certificates(e.pk), tell_member(e, "evaluation_changed", reason=reason)))


def evaluation_revoke(*, evaluation_id: int, reason: str, approval: str, approved_on: dt.date,
                      spot_check_id: int | None = None, by) -> Evaluation:
    """Revoke a published result (摘牌) on a reason, with the leading group's approval recorded
    and published (004 §23; 001 §18(十))."""
    _approved(reason, approval, approved_on, "撤销")

    def revoke(evaluation):
        _result_change(evaluation, kind=ResultChange.Kind.REVOKE, to_grade="", reason=reason, approval=approval,
                       approved_on=approved_on, spot_check_id=spot_check_id, by=by)
        evaluation.revoke(reason=reason, by=by, description=f"{reason[:140]}（核准：{approval[:50]}）")

    return evaluation_move(evaluation_id, revoke, then=lambda e: tell_member(e, "evaluation_changed", reason=reason))


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
