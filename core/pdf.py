"""PDF documents (certificates, invoices, letters) rendered by WeasyPrint.

Only server templates are rendered, with Django's autoescaping, and the URL fetcher lets
the document reach nothing but the project's own static files: no http(s), no other
``file://`` path, no data from outside. Chinese text uses the system's Noto CJK fonts
(Debian ``fonts-noto-cjk``), named in ``static/pdf/document.css``.
"""
import mimetypes
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Relative and root-relative URLs in templates resolve against this made-up origin; the
# fetcher maps it onto static files and refuses every other address.
BASE_URL = "https://pdf.portal.invalid/"


class StaticOnlyURLFetcher(URLFetcher):
    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}/"
        path = unquote(parts.path)
        if origin != BASE_URL or not path.startswith(settings.STATIC_URL):
            raise ValueError(f"PDF documents may only load the portal's static files, not {url!r}")
        relative = path[len(settings.STATIC_URL):]
        if ".." in relative.split("/"):
            raise ValueError(f"Refusing path traversal in {url!r}")
        found = _static_path(relative)
        if not found:
            raise ValueError(f"No static file {relative!r}")
        with open(found, "rb") as fh:
            body = fh.read()
        mime = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": mime})


def _static_path(relative: str) -> str | None:
    """The file behind a static URL: the app's source file, else the collected copy (under
    production's manifest storage ``{% static %}`` names the hashed file, which only the
    collected folder holds)."""
    found = finders.find(relative)
    if found:
        return found
    try:
        return staticfiles_storage.path(relative) if staticfiles_storage.exists(relative) else None
    except (NotImplementedError, SuspiciousFileOperation):
        # A storage with no local files (path() is not implemented) or a name outside its
        # folder: there is no file this fetcher may read.
        return None


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a template to PDF bytes."""
    html = render_to_string(template_name, {"site_name": settings.SITE_NAME, **context})
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyURLFetcher())
    return document.write_pdf()
