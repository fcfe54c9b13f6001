"""The 继教办's admin pages: the project dashboard, and recording attendance, entering a result
and cancelling a seat from the registration's page, each through the same services as the site."""
import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.admin_queues import queues_for
from education.models import AssessmentResult, AttendanceEvent, Project, Registration
from education.projects import services
from education.projects.tests.helpers import attend, make_project, office_user, seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    user = office_user()
    client = Client()
    client.force_login(user)
    return user, client


def test_the_project_page_shows_registered_checked_in_per_session_and_credited(office):
    user, client = office
    project = make_project(office=user, starts_on=timezone.localdate())
    first, _ = seat(project), seat(project)
    attend(first, project.sessions.order_by("starts_at")[:1], office=user)
    page = client.get(reverse("admin:education_project_change", args=[project.pk])).content.decode()
    dashboard = page[page.index('data-testid="project-dashboard"'):]
    assert "<td>2 / 50</td>" in dashboard
    assert "<td>1</td><td>1</td></tr>" in dashboard  # the morning: one checked in, one out
    assert "签到二维码" in page  # the venue's screens open from here


def test_staff_record_attendance_and_a_result_and_cancel_with_reasons(office):
    user, client = office
    project = make_project(office=user, starts_on=timezone.localdate(), assessment=Project.Assessment.STAFF)
    registration = seat(project)
    session = project.sessions.order_by("starts_at").first()
    transition = lambda name: reverse("admin:education_registration_transition", args=[registration.pk, name])  # noqa: E731
    at = timezone.localtime(session.starts_at + dt.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")

    refused = client.post(transition("attendance"), {"session": session.pk, "kind": "in", "at": at, "reason": ""})
    assert refused.status_code == 422 and not AttendanceEvent.objects.exists()
    client.post(transition("attendance"), {"session": session.pk, "kind": "in", "at": at, "reason": "手机没电"})
    event = AttendanceEvent.objects.get()
    assert (event.method, event.by, event.reason) == ("manual", user, "手机没电")

    client.post(transition("result"), {"score": "85", "note": "现场笔试"})
    result = AssessmentResult.objects.get()
    assert (result.score, result.passed, result.recorded_by) == (Decimal("85"), True, user)

    client.post(transition("cancel"), {"reason": "本人申请退出"})
    registration.refresh_from_db()
    assert registration.state == Registration.State.CANCELLED and registration.cancel_reason == "本人申请退出"


def test_a_filed_project_waits_in_the_approval_queue(office):
    user, _ = office
    make_project(office=user, publish=False)
    filed = make_project(office=user, publish=False)
    services.project_file(project_id=filed.pk, by=user)
    counts = {queue.label: count for queue, count, _ in queues_for(user)}
    assert counts["待审批继教项目"] == 1
