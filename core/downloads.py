"""Private files are served only here, after the owning object agrees.

A model opts in with ``register_downloadable(Model, fields)`` and implements
``can_view_file(user, field_name) -> bool`` (and optionally ``download_name(field_name)``).
The URL names the object, never the storage path; anyone the object refuses gets a 404,
as does a field that was not registered.
"""
import mimetypes
import os

from django.apps import apps
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

_registry: dict[str, frozenset[str]] = {}


def register_downloadable(model, fields) -> None:
    _registry[model._meta.label_lower] = frozenset(fields)


def file_url(obj, field_name: str) -> str:
    return reverse("core:download", args=[obj._meta.label_lower, obj.pk, field_name])


# Types a page may show in place (an expert previewing evidence): shown inline on request,
# framable by the portal's own pages only. Anything else is always an attachment.
PREVIEWABLE = frozenset({"application/pdf", "image/jpeg", "image/png"})


def file_response(field_file, download_name: str, *, inline: bool = False, redirect: bool = True) -> HttpResponse:
    """An attachment response for a stored file: encoded filename, nosniff, and the body
    handed to nginx via X-Accel-Redirect when PRIVATE_MEDIA_X_ACCEL_PREFIX is set. On object
    storage (PRIVATE_STORAGE_URL), a redirect to a URL signed for PRIVATE_URL_SECONDS that makes
    the storage answer with the same name and type; the body is streamed instead when it is shown
    in place or ``redirect`` is off (a public image the site's own pages embed: the Content-
    Security-Policy admits only the site's origin). With ``inline``, a PDF or image is shown in
    place (and may be framed by the site's own pages)."""
    name = download_name or os.path.basename(field_file.name)
    content_type = mimetypes.guess_type(field_file.name)[0] or "application/octet-stream"
    inline = inline and content_type in PREVIEWABLE
    remote = getattr(field_file.storage, "querystring_auth", False)  # object storage: no local path
    if remote and redirect and not inline:
        response = HttpResponseRedirect(field_file.storage.url(field_file.name, parameters={
            "ResponseContentDisposition": content_disposition_header(not inline, name),
            "ResponseContentType": content_type}, expire=settings.PRIVATE_URL_SECONDS))
    elif settings.PRIVATE_MEDIA_X_ACCEL_PREFIX and not remote:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.PRIVATE_MEDIA_X_ACCEL_PREFIX.rstrip("/") + "/" + field_file.name
        response["Content-Disposition"] = content_disposition_header(not inline, name)
    else:
        response = FileResponse(field_file.open("rb"), as_attachment=not inline, filename=name,
                                content_type=content_type)
    if inline:
        response["X-Frame-Options"] = "SAMEORIGIN"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def download(request, model_label: str, pk: int, field_name: str):
    if field_name not in _registry.get(model_label, ()):
        raise Http404
    model = apps.get_model(model_label)
    obj = get_object_or_404(model, pk=pk)
    field_file = getattr(obj, field_name)
    if not field_file:
        raise Http404
    if not obj.can_view_file(request.user, field_name):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    name = obj.download_name(field_name) if hasattr(obj, "download_name") else ""
    response = file_response(field_file, name, inline=request.GET.get("inline") == "1",
                             redirect=request.user.is_authenticated)
    if not request.user.is_authenticated:
        # Public files (published articles, link logos) may be cached like static files.
        response["Cache-Control"] = "public, max-age=3600"
    return response


def admin_file_link(obj, field_name: str, label: str | None = None) -> str:
    """An admin cell linking to a private file through the checked download view."""
    if not getattr(obj, field_name, None):
        return "—"
    if label is None:
        label = obj.download_name(field_name) if hasattr(obj, "download_name") else field_name
    return format_html('<a href="{}">{}</a>', file_url(obj, field_name), label)
