"""Site search for Chinese text without a Chinese word segmenter.

Text is indexed as overlapping two-character pieces (bigrams) of every run of Chinese
characters, plus lower-cased Latin words and numbers; a query matches when every piece of
it is present. On PostgreSQL the pieces are stored as a tsvector (``search_vector``, a
generated column) with a GIN index, so a search over tens of thousands of articles is an index
lookup, not a scan.

Results come newest first. A common query (one character, a frequent word) matches most
articles, and sorting every match to show the newest twenty was most of its cost; so a page
is first looked for among the newest ``WINDOW`` published articles (a walk down the
``(pinned, publish_at, id)`` index, each article's stored vector tested), and only when those
hold too few matches does the index lookup over everything run, which is then cheap because
the query is rare. Both give the same rows: the window is a prefix of the same order.
"""
import re
from collections.abc import Callable

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import strip_tags

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[0-9a-z]+")


def pieces(text: str) -> list[str]:
    text = (text or "").lower()
    found = []
    for run in _CJK.findall(text):
        found.extend([run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)])
    found.extend(_WORD.findall(_CJK.sub(" ", text)))
    return list(dict.fromkeys(found))


def index_text(*, title: str, summary: str, body_html: str) -> str:
    return " ".join(pieces(f"{title} {summary} {strip_tags(body_html)}"))


WINDOW = 1000  # the newest published articles a page is looked for among first


def _tsquery(terms: list[str]) -> str:
    # A two-character Chinese piece matches exactly, which the GIN index answers without
    # scanning a prefix range; a single character, a Latin word or a number matches the
    # pieces that start with it.
    return " & ".join(term if _CJK.fullmatch(term) and len(term) == 2 else f"{term}:*" for term in terms)


def matching(queryset: QuerySet, query: str) -> QuerySet:
    terms = pieces(query)[:20]
    if not terms:
        return queryset.none()
    if connection.vendor == "postgresql":
        return queryset.filter(RawSQL("search_vector @@ to_tsquery('simple', %s)", (_tsquery(terms),),
                                      output_field=BooleanField()))
    for term in terms:
        queryset = queryset.filter(search_text__contains=term)
    return queryset


# One statement, two exclusive branches. ``newest``: the newest WINDOW published articles (the
# partial index portal_article_newest, walked in order), each tested on its stored vector; a
# subquery with LIMIT is not flattened, so it runs as written. When it holds the whole page
# (the window is a prefix of the same order, so these are the first matches of all), that is
# the answer. Otherwise, and only then (a one-time filter), every match is found through the
# GIN index and sorted: materialised first, or the planner may walk the newest-first index on
# a poor estimate of a prefix query's matches and test every published article.
_SEARCH_SQL = """
WITH newest AS MATERIALIZED (
    SELECT hit.id, hit.title, hit.summary, hit.publish_at, hit.pinned, hit.column_id
    FROM (SELECT id, title, summary, publish_at, pinned, column_id, search_vector FROM "portal_article"
          WHERE status = 'published' AND publish_at <= %(now)s
          ORDER BY pinned DESC, publish_at DESC, id DESC LIMIT %(window)s) AS hit
    WHERE hit.search_vector @@ to_tsquery('simple', %(query)s)
    ORDER BY hit.pinned DESC, hit.publish_at DESC, hit.id DESC LIMIT %(count)s OFFSET %(start)s
), found AS (SELECT count(*) AS n FROM newest),
everything AS MATERIALIZED (
    SELECT id, title, summary, publish_at, pinned, column_id FROM "portal_article"
    WHERE status = 'published' AND publish_at <= %(now)s AND search_vector @@ to_tsquery('simple', %(query)s)
      AND (SELECT n FROM found) < %(count)s
)
SELECT hit.id, hit.title, hit.summary, hit.publish_at, "portal_column".name AS column_name
FROM (SELECT * FROM newest WHERE (SELECT n FROM found) = %(count)s
      UNION ALL
      (SELECT * FROM everything ORDER BY pinned DESC, publish_at DESC, id DESC LIMIT %(count)s OFFSET %(start)s)
     ) AS hit
JOIN "portal_column" ON "portal_column".id = hit.column_id
ORDER BY hit.pinned DESC, hit.publish_at DESC, hit.id DESC
"""


def _rows(sql: str, params: dict) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


class NewestFirst:
    """Slices of the published articles matching ``query`` as values, newest first, for
    ``PeekPage``: on PostgreSQL looked for among the newest WINDOW first, else ``everything()``
    (the same rows as a queryset, built only there: building it costs as much as the SQL)."""

    def __init__(self, everything: Callable[[], QuerySet], query: str, now):
        self.everything, self.terms, self.now = everything, pieces(query)[:20], now

    def __getitem__(self, part: slice) -> list[dict]:
        start, stop = part.start or 0, part.stop
        if connection.vendor != "postgresql" or not self.terms:
            return list(self.everything()[part])
        window = WINDOW if stop <= WINDOW else 0  # a page deeper than the window: straight to everything
        return _rows(_SEARCH_SQL, {"now": self.now, "window": window, "query": _tsquery(self.terms),
                                   "count": stop - start, "start": start})
