"""No input, however hostile, gives a 5xx (SECURITY.md 20).

The pages are found by crawling the demo site as a visitor, a member and an evaluator (so a
new page or form is fuzzed as soon as a link reaches it); every query string is given junk,
and every form on every page is posted with junk in each of its fields: NUL bytes, 10,000
characters, bytes that are not UTF-8, NaN, huge and negative numbers, and ids of other
people's records.
"""
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from accounts.models import User

pytestmark = pytest.mark.django_db

JUNK = ["\x00", "x" * 10_000, "NaN", "sNaN", "-1", "1e999", "99999999999999999999999", "../../etc/passwd",
        "<script>alert(1)</script>", "１２３", "²³", "1101051949123100²X", "9" * 40]
SKIP_PREFIXES = ("/admin/", "/accounts/logout/", "/static/", "/files/", "/payments/wechat/notify/")
MAX_PAGES = 150
PER_ROUTE = 10  # pages of one URL pattern (articles, assignments in each state)


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.forms, self._form = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = {"action": attrs.get("action") or "", "method": (attrs.get("method") or "get").lower(),
                          "fields": set()}
            self.forms.append(self._form)
        elif (tag in ("input", "select", "textarea", "button") and self._form is not None and attrs.get("name")
              and attrs.get("type") != "file"):
            self._form["fields"].add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def _crawl(client, starts):
    """Pages reachable by links, following redirects; at most PER_ROUTE pages per URL pattern
    (one article is like another), so the budget goes to distinct pages and their forms."""
    seen, per_route, queue, pages = set(), {}, list(starts), []
    while queue and len(pages) < MAX_PAGES:
        url = urldefrag(queue.pop(0))[0]
        if url in seen or url.startswith(SKIP_PREFIXES):
            continue
        seen.add(url)
        try:
            route = resolve(urlsplit(url).path).route
        except Resolver404:
            route = url
        if per_route.get(route, 0) >= PER_ROUTE:
            continue
        per_route[route] = per_route.get(route, 0) + 1
        response = client.get(url, follow=True)
        assert response.status_code < 500, f"GET {url}: {response.status_code}"
        if response.redirect_chain:
            url = response.redirect_chain[-1][0]
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = _Page()
        parser.feed(response.content.decode())
        pages.append((url, parser.forms))
        for href in parser.links:
            target = urljoin(url, href)
            parts = urlsplit(target)
            if not parts.netloc and parts.path.startswith("/"):
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return pages


def _fuzz(client, pages, foreign_ids):
    failures = []
    for url, forms in pages:
        path = urlsplit(url).path
        for junk in JUNK[:4]:
            response = client.get(path, {"q": junk, "no": junk, "page": junk})
            if response.status_code >= 500:
                failures.append(f"GET {path} junk={junk[:10]!r}: {response.status_code}")
        for form in forms:
            action = urljoin(url, form["action"]) if form["action"] else url
            if form["method"] != "post" or action.startswith(SKIP_PREFIXES):
                continue
            fields = form["fields"] - {"csrfmiddlewaretoken"}
            for junk in [*JUNK, *foreign_ids]:
                response = client.post(action, dict.fromkeys(fields, junk))
                if response.status_code >= 500:
                    failures.append(f"POST {action} {sorted(fields)} junk={str(junk)[:10]!r}: {response.status_code}")
            response = client.post(action, b"\xff\xfe\xfd=\xc3\x28&action=\xa0\xa1",
                                   content_type="application/x-www-form-urlencoded")
            if response.status_code >= 500:
                failures.append(f"POST {action} non-UTF-8: {response.status_code}")
    return failures


def _foreign_ids(user):
    from evaluation.models import Evaluation, SubmittedDocument

    others = Evaluation.objects.exclude(member__user=user)
    return [str(pk) for pk in [*others.values_list("pk", flat=True)[:2],
                               *SubmittedDocument.objects.exclude(evaluation__member__user=user)
                               .values_list("pk", flat=True)[:2]]]


# A visitor, a member, an evaluator, and institutions at the steps with forms (documents,
# fee, questionnaire, supplement, appeal) and an individual awaiting dues: the demo's logins (README).
LOGINS = [None, "13900000005", "13900000011", "13700000021", "13900000101", "13900000103", "13900000105", "13900000106",
          "13900000108", "13900000109"]


@pytest.mark.parametrize("login", LOGINS)
def test_junk_in_every_query_and_form_never_gives_a_server_error(demo, login):
    client = Client(raise_request_exception=False)
    user = None
    if login:
        user = User.objects.get(mobile=login)
        client.force_login(user)
    starts = ["/", "/join/", "/evaluation/", "/evaluation/notices/", "/evaluation/registry/", "/certificates/check/",
              "/member/", "/workbench/", "/messages/"]
    pages = _crawl(client, starts)
    assert len(pages) >= 5
    failures = _fuzz(client, pages, _foreign_ids(user) if user else ["1", "2"])
    assert not failures, "\n".join(failures)
