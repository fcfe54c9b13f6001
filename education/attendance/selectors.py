"""Reads of attendance: the hours each participant attended."""
from collections import defaultdict
from decimal import Decimal

from core.fragments import cached_value
from education.projects.models import Session
from education.registration.models import Registration
from education.rules import session_hours_attended

from .models import Attendance, AttendanceEvent


def attended_hours(*, project, sessions) -> dict[int, Decimal]:
    """Hours attended per registration id, over the project's sessions (one query)."""
    by_session = {s.pk: s for s in sessions}
    hours: dict[int, Decimal] = defaultdict(lambda: Decimal("0.0"))
    for attendance in Attendance.objects.filter(session__project=project):
        session = by_session[attendance.session_id]
        hours[attendance.registration_id] += session_hours_attended(
            starts_at=session.starts_at, ends_at=session.ends_at, hours=session.hours,
            checked_in_at=attendance.checked_in_at, checked_out_at=attendance.checked_out_at)
    return hours



def screen_counts(*, session, kind: str) -> tuple[int, int]:
    """For the venue's screen: how many have checked in (or out) of the project's paid seats."""
    recorded = "checked_in_at" if kind == AttendanceEvent.Kind.CHECK_IN else "checked_out_at"
    counted = Attendance.objects.filter(session=session, **{f"{recorded}__isnull": False}).count()
    seats = Registration.objects.filter(project=session.project_id, state=Registration.State.REGISTERED).count()
    return counted, seats


def scan_session(*, pk: int) -> Session | None:
    """The session a phone's scan names, with its project. A room scans within a minute, so it
    is kept (core.fragments.cached_value) until the session or its project changes."""
    return cached_value("education.scan_session", pk,
                        lambda: Session.objects.select_related("project").filter(pk=pk).first())
