"""Site search for Chinese text without a Chinese word segmenter.

Text is indexed as overlapping two-character pieces (bigrams) of every run of Chinese
characters, plus lower-cased Latin words and numbers; a query matches when every piece of
it is present. On PostgreSQL the pieces go through ``to_tsvector('simple', …)`` with a GIN
index, so a search over tens of thousands of articles is an index lookup, not a scan.
"""
import re

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


def matching(queryset: QuerySet, query: str) -> QuerySet:
    terms = pieces(query)[:20]
    if not terms:
        return queryset.none()
    if connection.vendor == "postgresql":
        # A two-character Chinese piece matches exactly, which the GIN index answers without
        # scanning a prefix range; a single character, a Latin word or a number matches the
        # pieces that start with it.
        tsquery = " & ".join(term if _CJK.fullmatch(term) and len(term) == 2 else f"{term}:*" for term in terms)
        return queryset.filter(RawSQL("to_tsvector('simple', search_text) @@ to_tsquery('simple', %s)",
                                      (tsquery,), output_field=BooleanField()))
    for term in terms:
        queryset = queryset.filter(search_text__contains=term)
    return queryset
