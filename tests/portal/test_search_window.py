"""The site search looks for a page among the newest articles first and falls back to every
match: either way the rows are the same as the plain query's, in the same order, and what an
article says is escaped on the page."""
import datetime as dt

import pytest
from django.db.models import F
from django.utils import timezone

from portal import search, selectors
from portal.models import Article
from tests.portal.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    now = timezone.now()
    made = []
    for n in range(40):
        made.append(ArticleFactory(
            title=f"{'广州义诊' if n % 3 == 0 else '北京会议'}第{n}期", summary="口腔分会工作",
            publish_at=now - dt.timedelta(hours=n), pinned=n == 25,
            status=Article.Status.DRAFT if n % 7 == 6 else Article.Status.PUBLISHED))
    ArticleFactory(title="广州义诊（未来）", publish_at=now + dt.timedelta(days=1))  # not yet published
    return made


def _plain(query: str, now) -> list[dict]:
    return list(search.matching(Article.objects.published(now), query).values(
        "id", "title", "summary", "publish_at", column_name=F("column__name")))


@pytest.mark.parametrize("window", [1000, 12, 3])
@pytest.mark.parametrize("query", ["会", "广州义诊", "义诊 12", "第3", "口腔", "没有的词"])
def test_every_page_matches_the_plain_query_whether_the_window_holds_it_or_not(articles, monkeypatch, query,
                                                                                window):
    monkeypatch.setattr(search, "WINDOW", window)
    found = selectors.search(query=query)
    everything = _plain(query, found.now)
    for start in range(0, 45, 7):
        assert found[start:start + 7] == everything[start:start + 7], (query, window, start)


def test_a_page_of_results_is_one_query(articles, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert len(selectors.search(query="口腔")[0:21]) == 21


def test_what_an_article_says_is_escaped_in_the_results(client):
    ArticleFactory(title='<script>alert("x")</script>义诊', summary="<b>粗体</b>")
    html = client.get("/search/", {"q": "义诊"}).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;义诊" in html
    assert "&lt;b&gt;粗体&lt;/b&gt;" in html
