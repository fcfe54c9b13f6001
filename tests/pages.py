"""Counting a page's queries the way the page-cost tests do."""
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def page_queries(user, url) -> int:
    """Queries of a second GET of ``url`` (the first warms site-wide caches: settings, menus,
    content types), signed in as ``user`` or as a visitor. The session's own read is left out:
    it is a query only where no Redis keeps sessions (a fresh machine's SQLite run)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return sum('"django_session"' not in query["sql"] for query in captured.captured_queries)
