"""Whole-page caching of public pages for anonymous visitors.

Every cached page carries the content version it was built at; any editor's save bumps the
version, so the next request renders afresh. Old entries simply age out. Signed-in visitors, pages
showing a flash message, and responses that set cookies are never cached.
"""
import hashlib
import time
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse

from core.fragments import page_address

VERSION_KEY = "portal:content-version"
PAGE_KEY = "portal:page:"
PAGE_TIMEOUT = 300  # also bounds how late a scheduled article appears


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = int(time.time() * 1000)
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return version


def bump_content_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, int(time.time() * 1000), None)


def kept_at_version(key: str) -> tuple[int, object | None]:
    """The content version now, and the value kept at ``key`` if it was built at that version
    (else None), read in one round trip. Keep values with ``keep_at_version``."""
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY)
    if version is None:
        version = content_version()
    entry = found.get(key)
    return version, entry[1] if entry is not None and entry[0] == version else None


def keep_at_version(key: str, version: int, value, timeout: int | None) -> None:
    cache.set(key, (version, value), timeout)


def cached_public_page(*, params: tuple[str, ...] = ()):
    """A visitor's GET answer kept for PAGE_TIMEOUT, until any editor's save, keyed by the
    query parameters the view reads (``params``; see core.fragments.page_address). The kept
    entry carries the content version it was built at, so the entry and the current version are
    read in one round trip."""
    return lambda view: _cached_public_page(view, params)


def _cached_public_page(view, params):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if (request.method != "GET" or request.user.is_authenticated or not settings.VISITOR_PAGE_CACHE
                or len(get_messages(request))):
            return view(request, *args, **kwargs)
        key = PAGE_KEY + hashlib.sha256(page_address(request, params).encode()).hexdigest()
        version, hit = kept_at_version(key)
        if hit is not None:
            response = HttpResponse(hit[0], content_type=hit[1])
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code == 200 and not response.cookies and not response.has_header("Set-Cookie"):
            keep_at_version(key, version, (response.content, response["Content-Type"]), PAGE_TIMEOUT)
            response["X-Page-Cache"] = "miss"
        return response

    return wrapped
