"""Kept page parts (core.fragments): a page is served from the cache only while nothing it was
built from has changed, whichever way the change was written, and never across people,
browsers or actions; the admin's kept list still checks the permission."""
import time

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import fragments
from core.selectors import UNREAD_KEY
from evaluation.models import Evaluation
from experts.committees.tests import helpers as m
from experts.models import CommitteeMember
from membership.models import Member
from tests.evaluation import helpers as h
from tests.membership.factories import UnitMemberFactory

pytestmark = pytest.mark.django_db
CENTRE = "/member/"
ACCESS = 1  # the query a kept page still runs: whether this person may see it (asked afresh)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client, url=CENTRE) -> tuple[str, int]:
    """The page's main part (the header's logout form has a fresh token each time) and its
    queries, the session's aside (read from the database only where no Redis holds it)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    return content[content.index('<main'):], len([q for q in captured if "django_session" not in q["sql"]])


@pytest.fixture
def returned():
    return UnitMemberFactory(state="returned", review_comment="请补充执业许可证")


def test_a_kept_page_runs_fewer_queries_and_shows_the_same(returned):
    client = signed_in(returned.user)
    first, built = page(client)
    again, kept = page(client)
    assert "请补充执业许可证" in first and again == first
    assert kept < built


@pytest.mark.parametrize("write", [
    lambda pk: Member.objects.filter(pk=pk).update(review_comment="请补充营业执照"),
    lambda pk: _saved(pk, review_comment="请补充营业执照"),
    lambda pk: connection.cursor().execute(
        'UPDATE "membership_member" SET "review_comment" = %s WHERE "id" = %s', ["请补充营业执照", pk]),
], ids=["queryset update", "model save", "raw SQL"])
def test_any_write_to_a_table_the_page_read_shows_at_once(returned, write):
    client = signed_in(returned.user)
    page(client)
    page(client)
    write(returned.pk)
    content, _ = page(client)
    assert "请补充营业执照" in content and "请补充执业许可证" not in content


def _saved(pk, **fields):
    member = Member.objects.get(pk=pk)
    for name, value in fields.items():
        setattr(member, name, value)
    member.save(update_fields=list(fields))


def test_a_write_in_a_transaction_is_stamped_again_after_commit(returned):
    key = fragments.STAMP.format("membership_member")
    with transaction.atomic():
        Member.objects.filter(pk=returned.pk).update(review_comment="x")
        at_write = fragments.cache.get(key)
        after_commit = [c for _, c, _ in connection.run_on_commit if isinstance(c, fragments.PostCommitStamp)]
    assert len(after_commit) == 1 and "membership_member" in after_commit[0].tables
    after_commit[0]()  # what the commit runs: other processes see the rows only now
    assert fragments.cache.get(key) > at_write


def test_parts_are_not_shared_between_people_or_browsers(returned):
    other = UnitMemberFactory(state="returned", review_comment="请补充章程")
    mine, theirs = signed_in(returned.user), signed_in(other.user)
    page(mine)
    assert "请补充章程" in page(theirs)[0] and "请补充执业许可证" not in page(theirs)[0]
    _, kept = page(mine)
    _, second_browser = page(signed_in(returned.user))  # its own CSRF secret: built for it
    assert second_browser > kept


def test_an_action_is_never_served_from_the_cache():
    built = []
    request = RequestFactory().post("/")
    token = fragments._reads.set(fragments._Reads())
    try:
        for _ in range(2):
            fragments.cached_html(request, "test", lambda: built.append(1) or "<p>x</p>")
    finally:
        fragments._reads.reset(token)
    assert len(built) == 2


def test_with_the_cache_down_pages_are_built_every_time(returned, monkeypatch):
    client = signed_in(returned.user)
    page(client)
    _, kept = page(client)
    # Marked down through monkeypatch, which puts the up state back after the test.
    monkeypatch.setattr(fragments, "_down_until", time.monotonic() + fragments.BREAK_SECONDS)
    Member.objects.filter(pk=returned.pk).update(review_comment="请补充营业执照")  # not stamped: down
    content, built = page(client)
    assert "请补充营业执照" in content and built > kept


def test_a_kept_value_counts_its_tables_for_the_page_built_from_it(returned):
    client = signed_in(returned.user)
    page(client)
    Member.objects.filter(pk=returned.pk).update(name="改名后的门诊部")
    assert "改名后的门诊部" in page(client)[0]


def test_the_kept_admin_list_checks_the_permission_and_follows_changes():
    office = h.office()
    evaluation = h.under_notice()
    client = signed_in(office)
    url = reverse("admin:evaluation_evaluation_changelist")
    page(client, url)
    Evaluation.objects.filter(pk=evaluation.pk).update(certificate_no="ZS-KEPT-0001")
    assert "ZS-KEPT-0001" in page(client, url)[0]
    office.groups.remove(Group.objects.get(name="评价办公室"))
    assert client.get(url).status_code == 403


def test_the_url_tag_reverses_fixed_names_once_and_others_as_django_does():
    template = Template("{% url 'portal:home' %}|{% url 'evaluation:detail' 7 %}|{% url 'core:inbox' as u %}{{ u }}"
                        "|{% url 'no-such-name' as missing %}[{{ missing }}]")
    for _ in range(2):
        assert template.render(Context()) == (
            f"{reverse('portal:home')}|{reverse('evaluation:detail', args=[7])}|{reverse('core:inbox')}|[]")


# --- Pages kept whole (fragments.kept_page) ---------------------------------------------------

def test_a_page_kept_whole_runs_only_its_access_query_and_follows_the_headers_own_cache(returned):
    client = signed_in(returned.user)
    page(client)
    content, kept = page(client)
    assert kept == ACCESS
    # The unread count lives in its own cache, which no table write of this page's announces:
    # it is part of the kept page's key.
    cache.set(UNREAD_KEY.format(returned.user.pk), 7)
    response = client.get(CENTRE)
    assert 'data-testid="unread-count">7<' in response.content.decode().replace(" ", "")


def test_a_message_to_show_is_never_served_from_a_kept_page_nor_kept(returned):
    client = signed_in(returned.user)
    page(client)
    page(client)
    client.get(reverse("membership:dues"))  # nothing to pay: it says so on the member centre
    assert "当前无需缴纳会费。" in client.get(CENTRE).content.decode()
    assert "当前无需缴纳会费。" not in client.get(CENTRE).content.decode()  # shown once, as Django shows it


def test_a_kept_page_is_still_refused_to_someone_else_and_after_access_ends():
    evaluation = h.under_notice()
    url = reverse("evaluation:detail", args=[evaluation.pk])
    owner = signed_in(evaluation.member.user)
    page(owner, url)
    page(owner, url)
    stranger = signed_in(UnitMemberFactory(state="active").user)
    assert stranger.get(url).status_code == 404

    body = m.committee("leading_group")
    meeting = m.convene(body, h.in_committee())
    seat = m.seats(body)[2]
    member = signed_in(seat.user)
    url = reverse("experts:meeting", args=[meeting.pk])
    page(member, url)
    _, kept = page(member, url)
    assert kept == ACCESS
    CommitteeMember.objects.filter(pk=seat.pk).update(until=timezone.localdate())  # left the committee
    assert member.get(url).status_code == 404


def test_access_lost_while_the_cache_was_unreachable_ends_at_once_on_a_healthy_server(monkeypatch):
    """An expert taken out of a group by a process that could not reach Redis (its writes went
    unstamped): another process still holding the kept scoring page must not serve it."""
    from evaluation.models import Assignment
    from experts.review import services as visits
    from experts.review.tests import helpers as v

    staff = h.office()
    v.trained_pool()
    visit = v.notified(by=staff)
    seat = v.seated(visit)[2]
    task = Assignment.objects.get(evaluation=visit.evaluation, evaluator=seat.expert.user)
    expert = signed_in(seat.expert.user)
    url = reverse("experts:assignment", args=[task.pk])
    page(expert, url)
    _, kept = page(expert, url)
    assert kept == ACCESS  # served from the cache
    # The office's process cannot reach the cache: its writes stamp nothing.
    monkeypatch.setattr(fragments, "_cache_up", lambda: False)
    visits.invitation_override(visit_id=visit.pk, invitation_id=seat.pk, reason="本人临时住院", by=staff)
    monkeypatch.undo()  # the expert's request reaches a healthy server, whose cache still holds the page
    assert expert.get(url).status_code == 404
    # The same for a signed-in account deactivated while the cache was unreachable.
    other = v.seated(visit)[3]
    client = signed_in(other.expert.user)
    task = Assignment.objects.get(evaluation=visit.evaluation, evaluator=other.expert.user)
    url = reverse("experts:assignment", args=[task.pk])
    page(client, url)
    page(client, url)
    monkeypatch.setattr(fragments, "_cache_up", lambda: False)
    type(other.expert.user).objects.filter(pk=other.expert.user.pk).update(is_active=False)
    monkeypatch.undo()
    assert client.get(url).status_code in (302, 404)


def test_the_registry_is_kept_for_every_visitor_and_shows_a_new_result_at_once():
    evaluation = h.under_notice()
    url = reverse("evaluation:registry") + "?q=" + evaluation.member.name
    first, second = Client(), Client()  # two visitors: neither signs in, nor holds a cookie of the other's
    assert "已撤销" not in page(first, url)[0]
    _, kept = page(second, url)
    assert kept == 0
    Evaluation.objects.filter(pk=evaluation.pk).update(state="revoked", certificate_no="ZS-KEPT-0002")
    assert "ZS-KEPT-0002" in page(first, url)[0]


def test_a_shared_page_with_a_form_that_posts_is_never_kept():
    built = []

    def respond():
        built.append(1)
        return HttpResponse('<form method="post"><input name="csrfmiddlewaretoken" value="x"></form>')

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    token = fragments._reads.set(fragments._Reads())
    try:
        for _ in range(2):
            fragments.cached_response(request, "test-shared", respond, shared=True)
    finally:
        fragments._reads.reset(token)
    assert len(built) == 2


def test_a_transaction_stamps_a_table_once_however_often_it_writes_it(returned):
    key = fragments.STAMP.format("membership_member")
    with transaction.atomic():
        Member.objects.filter(pk=returned.pk).update(review_comment="第一次")
        first = fragments.cache.get(key)
        for n in range(5):
            Member.objects.filter(pk=returned.pk).update(review_comment=f"第{n}次")
        assert fragments.cache.get(key) == first
        token = fragments._reads.set(fragments._Reads())
        try:  # a value kept from the transaction's own rows: the next write must reach it
            fragments.cached_value("test-member", returned.pk, lambda: Member.objects.get(pk=returned.pk).review_comment)
        finally:
            fragments._reads.reset(token)
        Member.objects.filter(pk=returned.pk).update(review_comment="读过之后")
        assert fragments.cache.get(key) > first
        with transaction.atomic():  # a savepoint rolled back takes its writes, not the stamp
            Member.objects.filter(pk=returned.pk).update(name="回滚")
            transaction.set_rollback(True)
        UnitMemberFactory()
        after_commit = [c for _, c, _ in connection.run_on_commit if isinstance(c, fragments.PostCommitStamp)]
    assert len(after_commit) == 1 and "membership_member" in after_commit[0].tables


def test_a_lost_counter_starts_again_ahead_of_every_stamp_it_gave():
    key = fragments.STAMP.format("membership_member")
    fragments._stamp({"membership_member"})
    before = fragments.cache.get(key)
    time.sleep(0.002)  # the counter restarts from the clock, which has moved on since
    fragments.cache.delete(fragments.COUNTER)  # evicted, or Redis restarted without its data
    fragments._stamp({"membership_member"})
    after = fragments.cache.get(key)
    assert after > before and after >= int(time.time() * 1000) - 60_000


# --- One round trip per check -------------------------------------------------------------

@pytest.mark.parametrize("remembered", [frozenset(), frozenset({"accounts_user"})],
                         ids=["nothing remembered", "only some tables remembered"])
def test_an_entry_is_checked_against_every_table_it_names_whatever_the_process_remembers(returned, remembered):
    """The stamps fetched with an entry are those of the tables its kind was last built from in
    this process; a table the entry names beyond them (another process built it) still counts."""
    client = signed_in(returned.user)
    page(client)
    page(client)
    for name in list(fragments._sources_of):
        fragments._sources_of[name] = remembered
    Member.objects.filter(pk=returned.pk).update(review_comment="请补充营业执照")
    assert "请补充营业执照" in page(client)[0]


def test_an_evicted_stamp_of_a_remembered_table_reads_as_changed(returned):
    client = signed_in(returned.user)
    page(client)
    _, kept = page(client)
    cache.delete(fragments.STAMP.format("membership_member"))  # evicted with the entry still there
    _, after = page(client)
    assert kept == ACCESS and after > kept


def test_the_layout_inputs_kept_in_the_cache_are_read_together_and_built_only_when_missing(returned, monkeypatch):
    from core import context_processors

    calls = []
    real = context_processors.unread_count
    monkeypatch.setattr(context_processors, "unread_count", lambda **kw: calls.append(1) or real(**kw))
    client = signed_in(returned.user)
    page(client)  # counted, and kept in its own entry
    calls.clear()
    page(client)
    assert calls == []  # read with the content version, in one round trip
    cache.delete(UNREAD_KEY.format(returned.user.pk))
    page(client)
    assert calls  # missing: counted again
