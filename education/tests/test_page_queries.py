"""The 学分继教 pages cost the same number of queries with a little data behind them or a lot:
the column, a project, registering, a registration, the check-in screen, the scan page and
我的学分. (Timings are measured in bench/, not here.)"""
import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from education.attendance.codes import code_make
from education.credits.services import project_credits_compute
from education.projects.tests.helpers import attend, make_project, office_user, seat
from tests.accounts.factories import UserFactory
from tests.pages import page_queries

pytestmark = pytest.mark.django_db
BUDGET = 12


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
            "column": page_queries(None, reverse("education:projects")),
            "project": page_queries(person, reverse("education:project", args=[project.pk])),
            "register": page_queries(UserFactory(), reverse("education:register", args=[project.pk])),
            "registration": page_queries(person, reverse("education:registration", args=[registration.pk])),
            "my registrations": page_queries(person, reverse("education:my_registrations")),
            "my credits": page_queries(person, reverse("education:my_credits")),
            "check-in screen": page_queries(office, reverse("education:checkin", args=[session.pk, "in"])),
            "scan": page_queries(person, scan),
        }


def test_the_pages_cost_the_same_with_little_or_much_data(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        small = pages(*world(1))
        large = pages(*world(6))
    assert small == large, f"{small} with little data, {large} with more"
    assert max(large.values()) <= BUDGET, large
