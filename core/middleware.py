"""Allow the admin's inline import maps under a strict script-src.

The admin's rich-text editor (django-prose-editor) declares an ES-module import map as an
inline ``<script type="importmap">``, which ``script-src 'self'`` forbids. Rather than allow
inline scripts, this adds the exact SHA-256 of each import map on the page to that page's
policy. It must sit after CSPMiddleware in MIDDLEWARE so it runs first on the way out.
"""
import base64
import hashlib
import re

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
