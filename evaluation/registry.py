"""The public result registry's rows, one page in one statement.

A registry search nobody asked before is built on every request, and building its query
through the ORM (three joined tables, a correlated subquery for the credit grade beside the
stars, the name match) cost about as much as running it. The statement is written here once
instead, with the same meaning as the queryset it replaced (`tests/evaluation/
test_registry_rows.py` holds that queryset and compares them page for page): published,
expired and revoked results that have a certificate, newest first, matched on the
institution's name (through the members' trigram index on ``UPPER(name)``) or, for an ASCII
query, on the certificate number. It runs unchanged on PostgreSQL and SQLite. Its tables are
named in quotes, as the ORM names them, so the kept pages see what it reads
(``core.fragments``): the registry is kept for every visitor until one of them is written.
"""
from django.db import connection
from django.utils import timezone

from membership.models import Member

from .models import Evaluation, Programme

SHOWN_STATES = (Evaluation.State.PUBLISHED, Evaluation.State.EXPIRED, Evaluation.State.REVOKED)

_SQL = """
SELECT m.name AS member_name, p.name AS programme_name, p.kind, e.grade,
       (SELECT c.grade FROM {evaluation} c JOIN {programme} cp ON cp.id = c.programme_id
        WHERE c.member_id = e.member_id AND cp.kind = %(credit)s AND c.state = %(published)s
          AND c.valid_until >= %(today)s
        ORDER BY c.published_at DESC LIMIT 1) AS credit_grade,
       e.certificate_no, e.valid_until, e.state
FROM {evaluation} e
JOIN {member} m ON m.id = e.member_id
JOIN {programme} p ON p.id = e.programme_id
WHERE e.state IN ({shown}) AND e.certificate_no IS NOT NULL {match}
ORDER BY e.published_at DESC, e.id DESC
LIMIT %(count)s OFFSET %(start)s
"""
# The name as Django's ``icontains`` matches it on both databases (the pattern's own % and _
# escaped); a certificate number is ASCII, so only an ASCII query may be one (an OR across the
# join would otherwise defeat the name's index for every Chinese query).
_BY_NAME = "UPPER(m.name) LIKE UPPER(%(pattern)s) ESCAPE '\\'"
_STATEMENTS = {
    kind: _SQL.format(evaluation=f'"{Evaluation._meta.db_table}"', programme=f'"{Programme._meta.db_table}"',
                      member=f'"{Member._meta.db_table}"', match=match,
                      shown=", ".join(f"%(shown{n})s" for n in range(len(SHOWN_STATES))))
    for kind, match in (("everything", ""), ("name", f"AND {_BY_NAME}"),
                        ("name or number", f"AND ({_BY_NAME} OR e.certificate_no = %(number)s)"))}


def _like_pattern(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class RegistryPages:
    """Slices of the registry's rows for ``query`` as dicts of RegistryRow's fields, for
    ``PeekPage``; each slice is one statement."""

    def __init__(self, query: str = ""):
        self.sql = _STATEMENTS["everything" if not query else "name or number" if query.isascii() else "name"]
        self.params = {"credit": Programme.Kind.CREDIT, "published": Evaluation.State.PUBLISHED,
                       "today": timezone.localdate(), "pattern": _like_pattern(query), "number": query.upper(),
                       **{f"shown{n}": state for n, state in enumerate(SHOWN_STATES)}}

    def __getitem__(self, part: slice) -> list[dict]:
        start = part.start or 0
        with connection.cursor() as cursor:
            cursor.execute(self.sql, {**self.params, "count": part.stop - start, "start": start})
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
