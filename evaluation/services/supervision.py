"""After publication (004 §21-22; credit 001 §18(十)): the office records spot checks, focused
assessments and on-site re-evaluations; where one asks for rectification, the institution
reports in writing by the date set and the office accepts it or sets a new date. Every step
keeps who, when and why (the record and django-fsm-log) and tells the other side after commit."""
import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.roles import EVALUATION_OFFICE, notify_role
from core.uploads import original_name
from core.workflow import locked_step

from ..exceptions import SupervisionRefused
from ..models import Evaluation, RectificationReport, SpotCheck
from ._common import locked_evaluation, logger, require, tell_member

BATCH = 200


def _locked_spot_check(spot_check_id: int) -> SpotCheck:
    return (SpotCheck.objects.select_for_update(of=("self",))
            .select_related("evaluation__member__user", "evaluation__programme").get(pk=spot_check_id))


def _spot_check_move(spot_check_id: int, step, *, then=None) -> SpotCheck:
    return locked_step(_locked_spot_check, spot_check_id, step, then=then, refused=lambda spot_check: SupervisionRefused(
        f"该整改要求当前为“{spot_check.get_state_display()}”，不能进行此操作，请刷新后查看。"))


def _future_date(due_on: dt.date | None, message: str) -> dt.date:
    if due_on is None or due_on <= timezone.localdate():
        raise SupervisionRefused(message)
    return due_on


def _tell_office(spot_check: SpotCheck, template: str) -> None:
    notify_role(EVALUATION_OFFICE, template=template, context={"spot_check": spot_check},
                url=reverse("admin:evaluation_spotcheck_change", args=[spot_check.pk]))


def spot_check_record(*, evaluation_id: int, kind: str, checked_on: dt.date, findings: str, outcome: str,
                      requirements: str = "", due_on: dt.date | None = None, by) -> SpotCheck:
    """Record a check on a published result. 限期整改 needs the requirements and a future date,
    and waits for the institution's report; at most one rectification is open per result."""
    require(findings, "请填写发现的问题及结论。")
    if checked_on > timezone.localdate():
        raise SupervisionRefused("检查日期不能晚于今天。")
    rectify = outcome == SpotCheck.Outcome.RECTIFY
    if rectify:
        require(requirements, "限期整改须写明整改要求。")
        _future_date(due_on, "限期整改须定一个今天以后的整改报告截止日。")
    with transaction.atomic():
        evaluation = locked_evaluation(evaluation_id)
        if evaluation.state != Evaluation.State.PUBLISHED:
            raise SupervisionRefused("只能对有效期内的已发布结果进行抽查和考核。")
        if rectify and evaluation.spot_checks.exclude(state=SpotCheck.State.CLOSED).exists():
            raise SupervisionRefused("该机构尚有未结案的整改要求，请先验收或结案后再提出新的整改要求。")
        try:
            with transaction.atomic():
                spot_check = SpotCheck.objects.create(
                    evaluation=evaluation, kind=kind, checked_on=checked_on, findings=findings, outcome=outcome,
                    requirements=requirements if rectify else "", due_on=due_on if rectify else None,
                    state=SpotCheck.State.AWAITING if rectify else SpotCheck.State.CLOSED, recorded_by=by)
        except IntegrityError:
            raise SupervisionRefused("该机构尚有未结案的整改要求，请刷新后查看。") from None
        tell_member(evaluation, "evaluation_spot_check", spot_check=spot_check)
    logger.info("evaluation %s: %s recorded (%s) by %s", evaluation.pk, spot_check.get_kind_display(),
                spot_check.outcome, by.pk)
    return spot_check


def rectification_report_submit(*, spot_check_id: int, text: str, file=None, by) -> RectificationReport:
    """The institution's written report on its rectification; earlier reports stay as history."""
    require(text, "请填写整改情况。")
    recorded = {}

    def report(spot_check):
        record = RectificationReport(spot_check=spot_check, text=text, submitted_by=by)
        if file:
            record.file_name = original_name(file)
            record.file.save(file.name, file, save=False)
        record.save()
        recorded["report"] = record
        spot_check.report(by=by, description=text[:200])

    _spot_check_move(spot_check_id, report, then=lambda s: _tell_office(s, "evaluation_rectification_reported"))
    logger.info("spot check %s: rectification report by %s", spot_check_id, by.pk)
    return recorded["report"]


def rectification_review(*, spot_check_id: int, accepted: bool, note: str, due_on: dt.date | None = None,
                         by) -> SpotCheck:
    """The office's verdict on the report: accepted closes the case; not accepted sets a new date
    for a further report. The note is kept on the record and in the log."""
    require(note, "请填写验收意见。")
    if not accepted:
        _future_date(due_on, "整改不到位须定一个今天以后的新截止日。")

    def review(spot_check):
        now = timezone.now()
        if accepted:
            spot_check.accept(note=note, at=now, by=by, description=f"整改验收通过：{note[:180]}")
        else:
            spot_check.send_back(note=note, due_on=due_on, at=now, by=by,
                                 description=f"整改不到位，限 {due_on:%Y-%m-%d} 前再报：{note[:150]}")

    return _spot_check_move(spot_check_id, review, then=lambda s: tell_member(
        s.evaluation, "evaluation_rectification_reviewed", spot_check=s))


def spot_check_close(*, spot_check_id: int, reason: str, by) -> SpotCheck:
    """Close an open rectification without accepting a report (the result was revoked or
    downgraded meanwhile, or the request was made in error), on a stated reason."""
    require(reason, "请填写结案原因。")
    return _spot_check_move(spot_check_id, lambda s: s.close(
        note=reason, at=timezone.now(), by=by, description=f"结案：{reason[:190]}"))


def rectifications_overdue(*, now) -> int:
    """The scanner: each rectification report not in by its date is flagged once to the
    institution and the office (a new date, set on review, flags again)."""
    today = timezone.localdate(now)
    with transaction.atomic():
        late = list(SpotCheck.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("evaluation__member__user", "evaluation__programme")
                    .filter(state=SpotCheck.State.AWAITING, due_on__lt=today, overdue_notified_at__isnull=True)
                    [:BATCH])
        SpotCheck.objects.filter(pk__in=[spot_check.pk for spot_check in late]).update(overdue_notified_at=now)
        for spot_check in late:
            tell_member(spot_check.evaluation, "evaluation_rectification_overdue", spot_check=spot_check)
            _tell_office(spot_check, "evaluation_rectification_overdue")
    return len(late)
