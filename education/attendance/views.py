"""The venue: staff show a session's rotating code on a screen; participants scan it with
their phone while signed in, and confirm."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from core.qrcodes import qr_svg
from education.exceptions import ScanRefused
from education.projects.models import Session

from . import selectors, services
from .codes import CODE_ROTATION, code_make, code_read
from .models import AttendanceEvent

KINDS = dict(AttendanceEvent.Kind.choices)


@permission_required("education.run_checkin", raise_exception=True)
def checkin_screen(request, pk, phase):
    """The screen at the venue: a QR code that changes every 30 seconds (the page reloads
    itself), and how many have checked in or out so far."""
    session = get_object_or_404(Session.objects.select_related("project"), pk=pk)
    if phase not in KINDS:
        return redirect("education:checkin", pk=pk, phase="in")
    scan_url = settings.SITE_URL + reverse("education:scan", args=[session.pk, code_make(session_id=session.pk, kind=phase)])
    counted, seats = selectors.screen_counts(session=session, kind=phase)
    opens, closes = services.scan_window(session, phase)
    now = timezone.now()
    return render(request, "education/checkin_screen.html", {
        "session": session, "project": session.project, "kind": phase, "label": KINDS[phase], "qr": qr_svg(scan_url),
        "scan_url": scan_url, "rotation": CODE_ROTATION, "counted": counted,
        "registered": seats,
        "opens": opens, "closes": closes, "window_open": opens <= now <= closes,
    })


@login_required
def scan(request, pk, code):
    """What the participant's phone opens: the session and a button to confirm; the POST
    records the check-in or check-out, or says why nothing was recorded."""
    session = selectors.scan_session(pk=pk)
    if session is None:
        raise Http404
    refusal, kind = "", None
    try:
        kind = code_read(code, session_id=session.pk)
    except ScanRefused as exc:
        refusal = str(exc)
    if request.method == "POST" and not refusal:
        try:
            attendance = services.attendance_scan(session_id=session.pk, code=code, user=request.user)
        except ScanRefused as exc:
            refusal = str(exc)
        else:
            messages.success(request, f"{KINDS[kind]}成功：{session.title}，"
                                      f"{timezone.localtime(timezone.now()):%H:%M}。")
            return redirect("education:registration", pk=attendance.registration_id)
    return render(request, "education/scan.html", {
        "session": session, "project": session.project, "label": KINDS.get(kind, "签到"), "refusal": refusal,
    }, status=409 if refusal and request.method == "POST" else 200)
