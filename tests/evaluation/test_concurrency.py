"""Concurrent clicks: one application per programme, and the losers of a race get a message."""
import pytest
from django.test import Client
from django.urls import reverse

from evaluation import services
from evaluation.models import Evaluation
from membership.models import Member
from tests.concurrency import at_once, needs_postgresql
from tests.core.files import pdf_bytes, upload
from tests.evaluation import helpers as h
from tests.membership.factories import UnitMemberFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_two_applications_at_once_open_one_evaluation():
    needs_postgresql()
    programme = h.credit()
    member = UnitMemberFactory(state=Member.State.ACTIVE)
    data = {"agree": "on", "declarations": programme.declaration_list()}
    statuses = at_once(lambda: _logged_in(member.user).post(reverse("evaluation:apply", args=["credit"]), data)
                       .status_code, 5)
    assert statuses == [302] * 5
    assert Evaluation.objects.filter(member=member).count() == 1


def test_concurrent_submits_of_one_application_submit_once_and_the_others_get_a_message():
    needs_postgresql()
    evaluation = h.started()
    for document in evaluation.programme.documents.all():
        services.evaluation_upload_document(evaluation_id=evaluation.pk, document_id=document.pk,
                                            file=upload("a.pdf", pdf_bytes()), by=evaluation.member.user)
    url = reverse("evaluation:documents", args=[evaluation.pk])
    data = {"action": "submit", "handler_name": "王经办", "handler_mobile": "13700000000"}

    def press():
        response = _logged_in(evaluation.member.user).post(url, data, follow=True)
        return response.status_code, response.content.decode()

    outcomes = at_once(press, 4)
    assert all(status == 200 for status, _ in outcomes)
    evaluation.refresh_from_db()
    assert evaluation.state == Evaluation.State.SUBMITTED
    assert evaluation.deadlines.filter(kind="accept").count() == 1


def test_concurrent_questionnaire_submits_submit_once():
    needs_postgresql()
    evaluation = h.paid()
    h.answer_all(evaluation)
    url = reverse("evaluation:questionnaire", args=[evaluation.pk])
    outcomes = at_once(lambda: _logged_in(evaluation.member.user).post(url, {"action": "submit"}, follow=True)
                       .status_code, 4)
    assert outcomes == [200] * 4
    evaluation.refresh_from_db()
    assert evaluation.state == Evaluation.State.UNDER_REVIEW


def test_concurrent_rectification_requests_and_reports_open_one_and_keep_one():
    needs_postgresql()
    import datetime as dt

    from django.utils import timezone

    from evaluation.deadlines import act_on_clocks
    from evaluation.exceptions import EvaluationError
    from evaluation.models import SpotCheck

    evaluation = h.under_notice()
    act_on_clocks(h.day_after(evaluation.deadlines.get(kind="notice").due_on))
    office, today = h.office(), timezone.localdate()
    outcomes = at_once(lambda: services.spot_check_record(
        evaluation_id=evaluation.pk, kind="spot", checked_on=today, outcome="rectify", findings="问题",
        requirements="整改", due_on=today + dt.timedelta(days=9), by=office), 4)
    assert sum(isinstance(o, SpotCheck) for o in outcomes) == 1
    assert all(isinstance(o, SpotCheck | EvaluationError) for o in outcomes)
    check = evaluation.spot_checks.get()
    url = reverse("evaluation:rectification", args=[evaluation.pk, check.pk])
    statuses = at_once(lambda: _logged_in(evaluation.member.user).post(url, {"text": "已整改"}).status_code, 4)
    assert set(statuses) <= {200, 302} and check.reports.count() == 1
