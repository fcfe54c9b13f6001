"""Check-in and check-out at the venue: the rotating code, every refusal (which records
nothing), two scans at once, and staff recording by hand with a reason."""
import datetime as dt

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from education.attendance import services
from education.attendance.codes import code_make
from education.exceptions import ScanRefused
from education.models import Attendance, AttendanceEvent
from education.projects.tests.helpers import make_project, office_user, register, seat
from tests.accounts.factories import UserFactory
from tests.concurrency import at_once, needs_postgresql

pytestmark = pytest.mark.django_db


@pytest.fixture
def morning():
    """A registered participant and today's morning session (9:00-12:00), the time 9:05."""
    project = make_project(starts_on=timezone.localdate())
    registration = register(project)
    session = project.sessions.order_by("starts_at").first()
    with time_machine.travel(session.starts_at + dt.timedelta(minutes=5), tick=False):
        yield registration, session


def scan(session, user, kind="in", code=None):
    return services.attendance_scan(session_id=session.pk, code=code or code_make(session_id=session.pk, kind=kind),
                                    user=user)


def nothing_recorded(registration):
    return not AttendanceEvent.objects.filter(attendance__registration=registration).exists()


def test_a_scan_checks_in_and_another_checks_out(morning):
    registration, session = morning
    scan(session, registration.user)
    with time_machine.travel(session.ends_at, tick=False):
        attendance = scan(session, registration.user, "out")
    assert attendance.checked_in_at == session.starts_at + dt.timedelta(minutes=5)
    assert attendance.checked_out_at == session.ends_at
    assert list(attendance.events.values_list("kind", "method", "by")) == [
        ("out", "scan", registration.user_id), ("in", "scan", registration.user_id)]


def test_an_old_code_is_refused_and_records_nothing(morning):
    registration, session = morning
    code = code_make(session_id=session.pk, kind="in")
    with (
        time_machine.travel(timezone.now() + dt.timedelta(seconds=61), tick=False),
        pytest.raises(ScanRefused, match="已过期"),
    ):
        scan(session, registration.user, code=code)
    assert nothing_recorded(registration)


def test_another_sessions_code_and_a_forged_code_are_refused(morning):
    registration, session = morning
    afternoon = registration.project.sessions.exclude(pk=session.pk).get()
    with pytest.raises(ScanRefused, match="不属于这一课程"):
        scan(session, registration.user, code=code_make(session_id=afternoon.pk, kind="in"))
    forged = signing.dumps({"s": session.pk, "k": "in"}, salt="another salt")
    with pytest.raises(ScanRefused, match="二维码无效"):
        scan(session, registration.user, code=forged)
    with pytest.raises(ScanRefused, match="二维码无效"):
        scan(session, registration.user, code="x" * 40)
    assert nothing_recorded(registration)


def test_scanning_twice_is_refused_and_the_first_time_is_kept(morning):
    registration, session = morning
    first = scan(session, registration.user).checked_in_at
    with (
        time_machine.travel(timezone.now() + dt.timedelta(minutes=3), tick=False),
        pytest.raises(ScanRefused, match="无需重复签到"),
    ):
        scan(session, registration.user)
    assert Attendance.objects.get().checked_in_at == first
    assert AttendanceEvent.objects.count() == 1


def test_scanning_outside_the_sessions_window_is_refused(morning):
    registration, session = morning
    afternoon = registration.project.sessions.exclude(pk=session.pk).get()
    with pytest.raises(ScanRefused, match="不在本课程的签到时间内"):
        scan(afternoon, registration.user)  # 9:05, the afternoon's check-in opens at 13:30
    with pytest.raises(ScanRefused, match="签退时间"), time_machine.travel(session.ends_at + dt.timedelta(minutes=31), tick=False):
        scan(session, registration.user, "out")
    assert nothing_recorded(registration)


def test_check_out_before_check_in_and_strangers_are_refused(morning):
    registration, session = morning
    with pytest.raises(ScanRefused, match="还没有签到"):
        scan(session, registration.user, "out")
    with pytest.raises(ScanRefused, match="没有报名"):
        scan(session, UserFactory())
    assert not Attendance.objects.filter(checked_in_at__isnull=False).exists()


def test_a_seat_waiting_for_its_fee_cannot_check_in():
    today = timezone.localdate()
    project = make_project(starts_on=today, fee=10)
    registration = register(project)
    session = project.sessions.order_by("starts_at").first()
    with time_machine.travel(session.starts_at, tick=False), pytest.raises(ScanRefused, match="尚未完成缴费"):
        scan(session, registration.user)


@pytest.mark.django_db(transaction=True)
def test_two_scans_at_once_record_one_check_in():
    needs_postgresql()
    today = timezone.localdate()
    project = make_project(starts_on=today)
    registration = seat(project)
    session = project.sessions.order_by("starts_at").first()
    with time_machine.travel(session.starts_at, tick=False):
        code = code_make(session_id=session.pk, kind="in")
        outcomes = at_once(lambda: scan(session, registration.user, code=code), 4)
    assert sum(isinstance(o, Attendance) for o in outcomes) == 1
    assert all(isinstance(o, ScanRefused) for o in outcomes if not isinstance(o, Attendance))
    assert AttendanceEvent.objects.filter(attendance__registration=registration).count() == 1


def test_staff_record_by_hand_with_a_reason_that_is_kept(morning):
    registration, session = morning
    office = office_user()
    with pytest.raises(ScanRefused, match="原因"):
        services.attendance_record(registration_id=registration.pk, by=office, session=session, kind="in",
                                   at=session.starts_at, reason="")
    services.attendance_record(registration_id=registration.pk, by=office, session=session, kind="in",
                               at=session.starts_at, reason="手机没电，现场核对身份证")
    with pytest.raises(ScanRefused, match="早于签退"):
        services.attendance_record(registration_id=registration.pk, by=office, session=session, kind="out",
                                   at=session.starts_at - dt.timedelta(minutes=10), reason="补录")
    event = AttendanceEvent.objects.get()
    assert (event.method, event.by, event.reason) == ("manual", office, "手机没电，现场核对身份证")


def test_the_scan_page_confirms_with_a_button_and_shows_refusals(morning, client):
    registration, session = morning
    url = reverse("education:scan", args=[session.pk, code_make(session_id=session.pk, kind="in")])
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(registration.user)
    assert "确认签到" in client.get(url).content.decode()
    assert not Attendance.objects.exists()  # opening the page records nothing
    response = client.post(url)
    assert response.url == reverse("education:registration", args=[registration.pk])
    again = client.post(url)
    assert again.status_code == 409 and "无需重复签到" in again.content.decode()


def test_the_screen_is_for_the_education_office_only(morning):
    _, session = morning
    url = reverse("education:checkin", args=[session.pk, "in"])
    office = Client()
    office.force_login(office_user())
    page = office.get(url).content.decode()
    assert 'http-equiv="refresh" content="30"' in page and "<svg" in page
    stranger = Client()
    stranger.force_login(UserFactory())
    assert stranger.get(url).status_code == 403
