"""The 学分继教 pages cost the same number of queries with a little data behind them or a lot:
the column, a project, registering, a registration, the check-in screen, the scan page and
我的学分. (Timings are measured in bench/, not here.)"""
import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from education.attendance.codes import code_make
from education.credits.services import project_credits_compute
from education.projects.tests.helpers import attend, make_project, office_user, seat
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db
BUDGET = 12


def count(user, url) -> int:
    client = Client()
    if user is not None:
        client.force_login(user)
    client.get(url)  # caches warmed (site settings, menus, content types)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return sum('"django_session"' not in query["sql"] for query in captured.captured_queries)


def world(size: int):
    """``size`` finished projects the person took part in (each credited, with a certificate),
    and a project running today with ``size`` days of sessions and ``size`` other participants."""
    office = office_user()
    person = UserFactory()
    for _ in range(size):
        past = make_project(office=office, starts_on=timezone.localdate() - dt.timedelta(days=3))
        attend(seat(past, person), office=office)
        project_credits_compute(project_id=past.pk)
    today = make_project(office=office, starts_on=timezone.localdate(), days=size, lecturer=UserFactory())
    registration = seat(today, person)
    for _ in range(size):
        attend(seat(today), today.sessions.order_by("starts_at")[:1], office=office)
    attend(registration, today.sessions.order_by("starts_at")[:1], office=office)
    return office, person, today, registration


def pages(office, person, project, registration):
    session = project.sessions.order_by("starts_at").first()
    with time_machine.travel(session.starts_at + dt.timedelta(minutes=10), tick=False):
        scan = reverse("education:scan", args=[session.pk, code_make(session_id=session.pk, kind="out")])
        return {
            "column": count(None, reverse("education:projects")),
            "project": count(person, reverse("education:project", args=[project.pk])),
            "register": count(UserFactory(), reverse("education:register", args=[project.pk])),
            "registration": count(person, reverse("education:registration", args=[registration.pk])),
            "my registrations": count(person, reverse("education:my_registrations")),
            "my credits": count(person, reverse("education:my_credits")),
            "check-in screen": count(office, reverse("education:checkin", args=[session.pk, "in"])),
            "scan": count(person, scan),
        }


def test_the_pages_cost_the_same_with_little_or_much_data(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        small = pages(*world(1))
        large = pages(*world(6))
    assert small == large, f"{small} with little data, {large} with more"
    assert max(large.values()) <= BUDGET, large
