"""The registry's one-statement rows are the rows of the queryset it replaced (kept here as the
specification), page for page, for every kind of query; and a name with LIKE's own characters
matches only itself."""
import datetime as dt

import pytest
from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from evaluation import selectors
from evaluation.models import Evaluation, Programme
from tests.evaluation import helpers as h
from tests.membership.factories import UnitMemberFactory

pytestmark = pytest.mark.django_db
S = Evaluation.State
NOW = timezone.now()


def _result(member, kind, state, *, grade, hours_ago, number=True, valid_days=365):
    evaluation = Evaluation.objects.create(
        programme=Programme.objects.get(kind=kind), member=member, agreed_at=NOW, grade=grade,
        published_at=NOW - dt.timedelta(hours=hours_ago), valid_until=timezone.localdate() + dt.timedelta(days=valid_days))
    Evaluation.objects.filter(pk=evaluation.pk).update(
        state=state, certificate_no=f"{'XY' if kind == 'credit' else 'NL'}2026{evaluation.pk:05d}" if number else None)
    return evaluation


@pytest.fixture
def results():
    h.credit()
    names = ["北京第1口腔门诊部", "北京第12口腔医院", "上海齿科诊所", "广州口腔门诊部", "100%_达标诊所", "100分诊所"]
    members = [UnitMemberFactory(name=name) for name in names]
    for n, member in enumerate(members):
        _result(member, "credit", S.PUBLISHED, grade=["AAA", "AA", "A"][n % 3], hours_ago=n % 4)  # ties on the hour
        _result(member, "capability", [S.PUBLISHED, S.EXPIRED, S.REVOKED][n % 3], grade=f"{3 + n % 3}星", hours_ago=n)
    _result(members[0], "credit", S.EXPIRED, grade="B", hours_ago=90, valid_days=-10)  # an old credit result
    _result(members[1], "credit", S.PUBLISHED, grade="AA", hours_ago=1, number=False)  # no certificate: not shown
    return members


def _specification(query: str) -> list[dict]:
    """The queryset the registry ran before its statement was written by hand."""
    credit = Evaluation.objects.filter(member=OuterRef("member"), programme__kind="credit", state=S.PUBLISHED,
                                       valid_until__gte=timezone.localdate()).order_by("-published_at")
    results = Evaluation.objects.filter(state__in=[S.PUBLISHED, S.EXPIRED, S.REVOKED], certificate_no__isnull=False)
    if query:
        by_name = Q(member__name__icontains=query)
        results = results.filter(by_name | Q(certificate_no=query.upper()) if query.isascii() else by_name)
    return list(results.order_by("-published_at", "-id").values(
        "grade", "certificate_no", "valid_until", "state", member_name=F("member__name"),
        programme_name=F("programme__name"), kind=F("programme__kind"), credit_grade=Subquery(credit.values("grade")[:1])))


@pytest.mark.parametrize("query", ["", "北京第1", "口腔", "齿科", "100%_", "100%", "_", "没有的机构", "NL2026", "x"])
def test_every_page_matches_the_queryset_it_replaced(results, query):
    expected = _specification(query)
    found = selectors.registry(query=query)
    for start in range(0, 16, 5):
        assert found[start:start + 5] == expected[start:start + 5], (query, start)
    assert query != "" or len(expected) == 13


def test_a_certificate_number_finds_its_result_and_like_characters_match_only_themselves(results):
    number = Evaluation.objects.filter(member=results[2], programme__kind="capability").get().certificate_no
    assert [row["certificate_no"] for row in selectors.registry(query=number.lower())[0:5]] == [number]
    assert {row["member_name"] for row in selectors.registry(query="100%_")[0:10]} == {"100%_达标诊所"}


def test_the_next_page_keeps_the_query(client, results):
    for n in range(31):
        _result(UnitMemberFactory(name=f"杭州第{n}口腔门诊部"), "credit", S.PUBLISHED, grade="A", hours_ago=5)
    page = client.get(reverse("evaluation:registry"), {"q": "杭州"}).content.decode()
    assert "?page=2&amp;q=%E6%9D%AD%E5%B7%9E" in page
    second = client.get(reverse("evaluation:registry"), {"q": "杭州", "page": 2}).content.decode()
    assert second.count("杭州第") == 1 and "北京第1" not in second
