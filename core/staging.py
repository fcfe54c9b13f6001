"""Uploads kept across a refused form: a file that passed its own checks is staged when
another field fails, shown as "已上传：…", and used on the next submission unless another file
is chosen. The session holds one token per form (``purpose``); staged files older than a day
are removed by a scanner. (The join wizard keeps its uploads in its own draft.)"""
import datetime as dt
import uuid

from django.core.files.base import File
from django.utils import timezone

from .deadlines import deadline_scanner
from .models import StagedUpload
from .uploads import original_name

SESSION_KEY = "staged_uploads"
KEEP_HOURS = 24


def _token(request, purpose: str, *, create: bool) -> str | None:
    tokens = request.session.get(SESSION_KEY, {})
    if purpose not in tokens and create:
        tokens[purpose] = str(uuid.uuid4())
        request.session[SESSION_KEY] = tokens
    return tokens.get(purpose)


def staged_names(request, purpose: str) -> dict[str, str]:
    """Field name -> original file name of what is kept for this form."""
    token = _token(request, purpose, create=False)
    if token is None:
        return {}
    return dict(StagedUpload.objects.filter(token=token).values_list("field", "original_name"))


def stage(request, purpose: str, form, fields: tuple[str, ...]) -> None:
    """Keep each of ``fields`` whose upload passed its own checks on this (refused) form."""
    cleaned = getattr(form, "cleaned_data", {})
    for name in fields:
        upload = cleaned.get(name)
        if not upload:
            continue
        token = _token(request, purpose, create=True)
        kept, _ = StagedUpload.objects.get_or_create(token=token, field=name,
                                                     defaults={"original_name": original_name(upload)})
        if kept.file:
            kept.file.delete(save=False)
        kept.original_name = original_name(upload)
        kept.file.save(upload.name, upload, save=False)
        kept.save()


def staged_file(request, purpose: str, field: str) -> File | None:
    """The kept file for ``field`` as an upload would be (its original name), or None."""
    token = _token(request, purpose, create=False)
    kept = StagedUpload.objects.filter(token=token, field=field).first() if token else None
    return File(kept.file.open("rb"), name=kept.original_name) if kept else None


def unstage(request, purpose: str) -> None:
    """Forget the form's kept files (it was submitted)."""
    token = request.session.get(SESSION_KEY, {}).pop(purpose, None)
    request.session.modified = True
    if token:
        for kept in StagedUpload.objects.filter(token=token):
            _forget(kept)


def staged_uploads_purge(*, now=None) -> int:
    """Remove kept files nobody came back for."""
    cutoff = (now or timezone.now()) - dt.timedelta(hours=KEEP_HOURS)
    stale = list(StagedUpload.objects.filter(created_at__lt=cutoff)[:200])
    for kept in stale:
        _forget(kept)
    return len(stale)


def _forget(kept: StagedUpload) -> None:
    kept.file.delete(save=False)
    kept.delete()


@deadline_scanner("core.purge_staged_uploads")
def _scan_staged(now):
    return staged_uploads_purge(now=now)
