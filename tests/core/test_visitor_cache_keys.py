"""A visitor's cached pages are keyed by the query parameters each view reads: junk in the
address is served from the same entry and makes no entry of its own, so a crawler or an
attacker cannot fill the cache with copies and push the useful entries out."""
import pytest
from django.conf import settings
from django.core.cache import cache

from membership.models import Member
from tests.membership.factories import UnitMemberFactory
from tests.payments.helpers import dues_order, pay_by_wechat
from tests.portal.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def entries(fragment: str) -> int:
    """Cache entries whose key holds ``fragment`` (Redis when configured, else in memory)."""
    if settings.REDIS_URL:
        return len(cache.keys(f"*{fragment}*"))
    return sum(fragment in key for key in cache._cache)


def test_a_thousand_junk_parameters_on_site_search_leave_one_entry(client):
    ArticleFactory(title="广州义诊活动")
    before = entries("portal:page:")
    first = client.get("/search/", {"q": "义诊"})
    assert first["X-Page-Cache"] == "miss" and "广州义诊活动" in first.content.decode()
    for n in range(1000):
        response = client.get("/search/", {"q": "义诊", f"junk{n}": "x", "utm_source": str(n)})
        assert response["X-Page-Cache"] == "hit", n
    assert entries("portal:page:") == before + 1
    # What the view reads still makes its own entry, in any order and whatever else is there.
    assert client.get("/search/?junk=1&q=活动")["X-Page-Cache"] == "miss"
    assert client.get("/search/?q=活动&junk=2")["X-Page-Cache"] == "hit"
    assert entries("portal:page:") == before + 2


def test_a_thousand_junk_parameters_on_the_certificate_check_and_registry_leave_one_entry_each(
        client, django_capture_on_commit_callbacks):
    member = UnitMemberFactory(state=Member.State.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        pay_by_wechat(client, dues_order(member))
    number = member.terms.get().certificate_no
    check = "public:membership.views.certificate_check"
    registry = "public:evaluation.views.registry"
    assert entries(check) == entries(registry) == 0
    assert number in client.get("/certificates/check/", {"no": number}).content.decode()
    client.get("/evaluation/registry/", {"q": "北京"})
    for n in range(1000):
        page = client.get("/certificates/check/", {"no": number, f"x{n}": n}).content.decode()
        assert number in page and "有效" in page
        client.get("/evaluation/registry/", {"q": "北京", "page": "", f"x{n}": n})
    assert entries(check) == 1 and entries(registry) == 1
