"""The signed-in pages people live on cost the same number of queries, at most ten, whether
there is a little data behind them or a lot: the member centre, an evaluation's page, the
evidence page, the expert workbench and its scoring page, the committee's agenda and vote
page, and the admin's evaluation list. (Timings are measured in bench/, not here.)"""
import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluation import services
from evaluation.deadlines import act_on_clocks
from evaluation.models import Evaluation, Evidence, Programme
from experts.committees import meetings
from experts.committees.tests import helpers as m
from experts.pool.evaluators import assignment_create
from payments.services import order_close
from tests.core.files import pdf_bytes, upload
from tests.evaluation import helpers as h
from tests.membership.factories import UnitMemberFactory
from tests.payments.helpers import dues_order

pytestmark = pytest.mark.django_db
BUDGET = 10


def queries(user, url) -> tuple[int, int]:
    """Queries for the page as built (nothing kept, as after any change behind it) and as kept
    (core.fragments: the same page again, nothing changed)."""
    client = Client()
    client.force_login(user)
    counts = []
    for kept in (False, True):
        with override_settings(FRAGMENT_CACHE=kept):
            client.get(url)  # caches warmed (site settings, menus, content types, the unread count)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200, url
        # The session's own read is not the page's: it is a database query only where there is
        # no Redis to keep sessions in (a fresh machine's SQLite run).
        counts.append(sum('"django_session"' not in query["sql"] for query in captured.captured_queries))
    built, kept = counts
    assert kept < built, f"the kept page ran {kept} queries, as many as building it ({built})"
    return built, kept


def same_and_within_budget(small: tuple[int, int], large: tuple[int, int]) -> None:
    assert small == large, f"{small} queries (built, kept) with little data, {large} with more"
    assert large[0] <= BUDGET


def test_the_member_centre():
    counts = []
    for orders in (1, 8):
        member = UnitMemberFactory(state="approved")
        for _ in range(orders):  # orders started and closed unpaid, then the open one
            order_close(order_id=dues_order(member).pk, reason="未支付", by=None)
        dues_order(member)
        counts.append(queries(member.user, reverse("membership:centre")))
    same_and_within_budget(*counts)


def _published_with_checks(checks: int) -> Evaluation:
    evaluation = h.under_notice()
    act_on_clocks(h.day_after(evaluation.deadlines.get(kind="notice").due_on))
    for n in range(checks):
        services.spot_check_record(evaluation_id=evaluation.pk, kind="spot", checked_on=timezone.localdate(),
                                   outcome="meets", findings=f"抽查 {n}", by=h.office())
    return Evaluation.objects.get(pk=evaluation.pk)


def test_an_evaluations_page():
    counts = []
    for checks in (1, 8):
        evaluation = _published_with_checks(checks)
        counts.append(queries(evaluation.member.user, reverse("evaluation:detail", args=[evaluation.pk])))
    same_and_within_budget(*counts)


def _in_evidence(files: int) -> Evaluation:
    programme = Programme.objects.get(kind="capability")
    if not programme.criteria.exists():
        services.standard_import(programme=programme, chapters=[
            {"text": "机构管理", "items": [{"text": f"条目 {n}", "max_points": 10, "evidence_required": True}
                                       for n in range(6)]}])
    member = UnitMemberFactory(state="active")
    created = Evaluation.objects.create(programme=programme, member=member, agreed_at=timezone.now())
    Evaluation.objects.filter(pk=created.pk).update(state=Evaluation.State.EVIDENCE)
    items = list(programme.criteria.filter(parent__isnull=False))
    for n in range(files):
        services.evidence_add(evaluation_id=created.pk, criterion_id=items[n % len(items)].pk,
                              file=upload(f"佐证{n}.pdf", pdf_bytes()), by=member.user)
    return created


def test_the_evidence_page():
    counts = []
    for files in (1, 12):
        evaluation = _in_evidence(files)
        assert Evidence.objects.filter(evaluation=evaluation).count() == files
        counts.append(queries(evaluation.member.user, reverse("evaluation:evidence", args=[evaluation.pk])))
    same_and_within_budget(*counts)


def test_the_workbench_and_the_scoring_page():
    workbench, scoring = [], []
    for tasks in (1, 6):
        evaluator = h.evaluator()
        assignments = []
        for _ in range(tasks):
            evaluation = h.paid()
            h.answer_all(evaluation)
            services.evaluation_submit_self_assessment(evaluation_id=evaluation.pk, by=evaluation.member.user)
            assignments.append(assignment_create(evaluation=evaluation, evaluator=evaluator, by=h.office()))
        workbench.append(queries(evaluator.user, reverse("experts:workbench")))
        scoring.append(queries(evaluator.user, reverse("experts:assignment", args=[assignments[0].pk])))
    same_and_within_budget(*workbench)
    same_and_within_budget(*scoring)


def test_the_committee_agenda_and_vote_page():
    body = m.committee("leading_group")
    counts = []
    for cases in (1, 4):
        meeting = m.convene(body, *[h.in_committee() for _ in range(cases)])
        m.open_with(meeting, m.seats(body)[:5])
        counts.append(queries(m.seats(body)[2].user, reverse("experts:meeting", args=[meeting.pk])))
        meetings.meeting_cancel(meeting_id=meeting.pk, reason="测试", by=h.office())
    same_and_within_budget(*counts)


def test_the_admin_evaluation_list():
    office = h.office()
    counts = []
    for more in (1, 10):
        for _ in range(more):
            h.submitted()
        counts.append(queries(office, reverse("admin:evaluation_evaluation_changelist")))
    same_and_within_budget(*counts)


def test_the_budget_holds_on_a_days_later_page_too():
    """Clocks that run out do not add queries to the evaluation's page."""
    evaluation = _published_with_checks(1)
    url = reverse("evaluation:detail", args=[evaluation.pk])
    before = queries(evaluation.member.user, url)
    later = timezone.now() + dt.timedelta(days=40)
    with time_machine.travel(later, tick=False):
        after = queries(evaluation.member.user, url)
    assert before == after


def test_the_result_registry_search():
    """The public registry (built, as for a search nobody has run yet) costs the same with one
    result on the page as with several: each row's institution and programme come with it."""
    counts = []
    for results in (1, 6):
        for _ in range(results):
            _published_with_checks(0)
        url = f"{reverse('evaluation:registry')}?q=&fresh={results}"
        with override_settings(FRAGMENT_CACHE=False):
            client = Client()
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count('class="badge text-bg-success">有效<') == Evaluation.objects.filter(
            state=Evaluation.State.PUBLISHED).count()
        # The session's own read is not the page's: it is a database query only where there is
        # no Redis to keep sessions in (a fresh machine's SQLite run).
        counts.append(sum('"django_session"' not in query["sql"] for query in captured.captured_queries))
    assert counts[0] == counts[1] <= BUDGET
