"""Every write to attendance: a scan of the session's code, or staff recording by hand with a
reason. A refusal records nothing; the registration's row lock makes two scans at once one."""
import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from education.exceptions import ScanRefused
from education.projects.models import Session
from education.registration.models import Registration

from .codes import code_read
from .models import Attendance, AttendanceEvent

logger = logging.getLogger(__name__)

EARLY_CHECK_IN = dt.timedelta(minutes=30)  # the doors open before the session starts
LATE_CHECK_OUT = dt.timedelta(minutes=30)
KIND_LABEL = dict(AttendanceEvent.Kind.choices)


def scan_window(session: Session, kind: str) -> tuple[dt.datetime, dt.datetime]:
    """When a code of this kind may be scanned: check-in from half an hour before the start to
    the end, check-out from the start to half an hour after the end."""
    if kind == AttendanceEvent.Kind.CHECK_IN:
        return session.starts_at - EARLY_CHECK_IN, session.ends_at
    return session.starts_at, session.ends_at + LATE_CHECK_OUT


def _registration_locked(*, session: Session, user) -> Registration:
    registration = (Registration.objects.select_for_update().filter(project=session.project_id, user=user.pk)
                    .exclude(state=Registration.State.CANCELLED).first())
    if registration is None:
        raise ScanRefused("您没有报名这一项目，不能签到。")
    if registration.state != Registration.State.REGISTERED:
        raise ScanRefused("您的报名尚未完成缴费，不能签到：请先在“我的报名”中缴费。")
    return registration


def _record(attendance: Attendance, *, kind: str, at, method: str, by, reason: str = "") -> None:
    if kind == AttendanceEvent.Kind.CHECK_IN:
        attendance.checked_in_at = at
    else:
        attendance.checked_out_at = at
    attendance.save()
    AttendanceEvent.objects.create(attendance=attendance, kind=kind, method=method, at=at, by=by, reason=reason)


def attendance_scan(*, session_id: int, code: str, user, now: dt.datetime | None = None) -> Attendance:
    """The participant scanned the session's code: check in or out, once each, in the window."""
    now = now or timezone.now()
    session = Session.objects.select_related("project").filter(pk=session_id).first()
    if session is None:
        raise ScanRefused("没有这一课程。")
    kind = code_read(code, session_id=session.pk)
    label = KIND_LABEL[kind]
    opens, closes = scan_window(session, kind)
    if not opens <= now <= closes:
        raise ScanRefused(f"现在不在本课程的{label}时间内（{timezone.localtime(opens):%m-%d %H:%M} 至 "
                          f"{timezone.localtime(closes):%H:%M}）。")
    with transaction.atomic():
        registration = _registration_locked(session=session, user=user)
        attendance, _ = Attendance.objects.get_or_create(registration=registration, session=session)
        if kind == AttendanceEvent.Kind.CHECK_IN and attendance.checked_in_at:
            raise ScanRefused(f"您已于 {timezone.localtime(attendance.checked_in_at):%H:%M} 签到，无需重复签到。")
        if kind == AttendanceEvent.Kind.CHECK_OUT:
            if not attendance.checked_in_at:
                raise ScanRefused("您还没有签到，不能签退：请联系现场工作人员补录签到。")
            if attendance.checked_out_at:
                raise ScanRefused(f"您已于 {timezone.localtime(attendance.checked_out_at):%H:%M} 签退，无需重复签退。")
        _record(attendance, kind=kind, at=now, method=AttendanceEvent.Method.SCAN, by=user)
    logger.info("attendance %s: %s by scan at %s", attendance.pk, kind, now)
    return attendance


def attendance_record(*, registration_id: int, by, session: Session, kind: str, at: dt.datetime,
                      reason: str) -> Attendance:
    """Staff record a check-in or check-out by hand (a phone that failed, a late arrival): the
    reason is required and kept with who recorded it; an earlier time is kept in the history."""
    reason = (reason or "").strip()
    if not reason:
        raise ScanRefused("补录签到或签退须写明原因。")
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration_id)
        if session.project_id != registration.project_id:
            raise ScanRefused("请选择该学员所报项目的课程。")
        if registration.state != Registration.State.REGISTERED:
            raise ScanRefused("该报名尚未完成，不能记录出勤。")
        if registration.project.state != registration.project.State.OPEN:
            raise ScanRefused("学分已授予的项目不能再补录出勤：请作废并重新签发证书。")
        opens, closes = session.starts_at - EARLY_CHECK_IN, session.ends_at + LATE_CHECK_OUT
        if not opens <= at <= closes:
            raise ScanRefused("补录的时间应在课程开始前半小时至结束后半小时之间。")
        attendance, _ = Attendance.objects.get_or_create(registration=registration, session=session)
        other = attendance.checked_out_at if kind == AttendanceEvent.Kind.CHECK_IN else attendance.checked_in_at
        if other and ((kind == AttendanceEvent.Kind.CHECK_IN and at >= other)
                      or (kind == AttendanceEvent.Kind.CHECK_OUT and at <= other)):
            raise ScanRefused("签到时间应早于签退时间。")
        _record(attendance, kind=kind, at=at, method=AttendanceEvent.Method.MANUAL, by=by, reason=reason)
    logger.info("attendance %s: %s recorded by %s (%s)", attendance.pk, kind, by.pk, reason)
    return attendance
