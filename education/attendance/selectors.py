"""Reads of attendance: the hours each participant attended."""
from collections import defaultdict
from decimal import Decimal

from education.rules import session_hours_attended

from .models import Attendance


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

