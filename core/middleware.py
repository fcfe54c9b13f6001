"""Project middleware.

ImportMapHashMiddleware: allow the admin's inline import maps under a strict script-src.

The admin's rich-text editor (django-prose-editor) declares an ES-module import map as an
inline ``<script type="importmap">``, which ``script-src 'self'`` forbids. Rather than allow
inline scripts, this adds the exact SHA-256 of each import map on the page to that page's
policy. It must sit after CSPMiddleware in MIDDLEWARE so it runs first on the way out.
"""
import base64
import hashlib
import re
import time

from django.shortcuts import render

IMPORTMAP_RE = re.compile(rb'<script type="importmap"[^>]*>(.*?)</script>', re.S)


class ImportMapHashMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith("/admin/")
            and response.get("Content-Type", "").startswith("text/html")
            and not getattr(response, "streaming", False)
        ):
            hashes = [
                f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"
                for body in IMPORTMAP_RE.findall(response.content)
            ]
            if hashes:
                update = getattr(response, "_csp_update", None) or {}
                update["script-src"] = [*update.get("script-src", []), *hashes]
                response._csp_update = update
        return response


class SessionIdleTimeoutMiddleware:
    """Extend a signed-in session's idle timeout without writing the session on every request.

    SESSION_COOKIE_AGE is the idle timeout. The expiry is pushed forward at most once per
    REFRESH seconds, so a busy member costs one session write per few minutes, not one per
    page. Must come after SessionMiddleware and AuthenticationMiddleware.
    """

    REFRESH = 300
    KEY = "_idle_refreshed"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated and not session.is_empty():
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= self.REFRESH:
                session[self.KEY] = now  # marks the session modified: saved with a fresh expiry
        return response


class RejectNulBytesMiddleware:
    """A NUL byte in a query string or a form's text field is never real input (PostgreSQL
    cannot even store it): answer 400 with the site's page instead of failing deeper down.
    File contents are not text fields and are not inspected. Must come after CSRF, so a
    forged request is refused for that first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            return render(request, "400.html", {"reason": "请求中包含无效字符，请检查输入后重试。"}, status=400)
        return None


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())
