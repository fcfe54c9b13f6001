"""Reads for the public pages; each costs a fixed number of queries whatever the data size."""
import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from .cache import keep_at_version, kept_at_version
from .models import Article, Column, FriendlyLink, MenuItem, SiteSettings, article_url
from .search import NewestFirst, matching

LATEST_PER_COLUMN = 6
CHROME_KEY = "portal:chrome"


def site_chrome() -> dict:
    """Menus, navigation columns and site settings for every page, cached per content version."""
    version, chrome = kept_at_version(CHROME_KEY)
    if chrome is None:
        menus = [
            {"title": m.title, "url": m.get_url(), "external": m.is_external, "page": m.page}
            for m in MenuItem.objects.filter(is_active=True).select_related("column")
        ]
        if not menus:  # no menu set up yet: top-level columns marked for navigation
            menus = [{"title": c.name, "url": c.get_absolute_url(), "external": False, "page": ""}
                     for c in Column.objects.filter(parent__isnull=True, show_in_nav=True)]
        settings = SiteSettings.get_solo()
        chrome = {"menus": menus, "site_settings": settings}
        keep_at_version(CHROME_KEY, version, chrome, None)
    return {**chrome, "content_version": version}  # what a visitor's layout is kept by (core visitor_part)


def home_content() -> dict:
    published = Article.objects.published()
    columns = list(Column.objects.filter(show_on_home=True, parent__isnull=True, kind=Column.Kind.ARTICLES))
    latest = (
        published.filter(column__in=columns)
        .annotate(rank=Window(RowNumber(), partition_by=[F("column_id")],
                              order_by=[F("pinned").desc(), F("publish_at").desc(), F("id").desc()]))
        .filter(rank__lte=LATEST_PER_COLUMN)
        .only("id", "title", "publish_at", "column_id", "pinned")
    )
    by_column: dict[int, list] = {c.pk: [] for c in columns}
    for article in latest:
        by_column[article.column_id].append(article)
    return {
        "banner": list(published.filter(pinned=True).only("id", "title", "summary", "cover", "publish_at")[:5]),
        "columns": [(c, by_column[c.pk]) for c in columns],
        "standards": list(published.filter(column__kind=Column.Kind.DOCUMENTS)
                          .only("id", "title", "publish_at")[:LATEST_PER_COLUMN]),
        "links": list(FriendlyLink.objects.all()),
    }


def column_articles(*, column: Column):
    """The column's published articles, its own and its sub-columns'."""
    return (Article.objects.published()
            .filter(Q(column=column) | Q(column__parent=column))
            .select_related("column")
            .prefetch_related("attachments")
            .only("id", "title", "summary", "publish_at", "pinned", "column__name", "column__slug"))


def article_detail(*, pk: int, preview: bool):
    queryset = Article.objects.select_related("column", "column__parent").prefetch_related("attachments")
    if not preview:
        queryset = queryset.published()
    return queryset.filter(pk=pk).first()


@dataclass(frozen=True)
class SearchHit:
    """One search result as the list shows it, read as plain values (a page of results builds
    no model instances)."""

    id: int
    title: str
    summary: str
    publish_at: dt.datetime
    column_name: str

    def get_absolute_url(self) -> str:
        return article_url(self.id)


def search(*, query: str) -> NewestFirst:
    """Published articles containing the query in their title, summary or body, newest first,
    as SearchHit fields (page them with ``PeekPage(..., row_type=SearchHit)``)."""
    now = timezone.now()
    return NewestFirst(lambda: matching(Article.objects.published(now), query).values(
        "id", "title", "summary", "publish_at", column_name=F("column__name")), query, now)
