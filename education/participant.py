"""The participant's page for one registration: it gathers every concern (the seat and its
fee, attendance per session, the assessment, credits and certificates), so it sits above them."""
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import render

from education.assessment.services import QUIZ_ATTEMPTS, quiz_open
from education.attendance.models import Attendance
from education.credits.models import CreditCertificate
from education.registration import services
from education.registration.forms import CancelForm
from education.registration.models import Registration
from education.registration.views import STEPS, own_or_404


def _progress(registration: Registration, *, attended: bool, credited: bool) -> list[tuple[str, str]]:
    if registration.state == Registration.State.AWAITING_PAYMENT:
        current = 1
    elif credited:
        current = len(STEPS)
    else:
        current = 3 if attended else 2
    return [(label, "done" if i < current else "current" if i == current else "todo") for i, label in enumerate(STEPS)]


@login_required
def registration_detail(request, pk):
    registration = own_or_404(request, pk)
    project = registration.project
    attendances = {a.session_id: a for a in Attendance.objects.filter(registration=registration)}
    awards = list(registration.awards.prefetch_related(
        Prefetch("certificates", queryset=CreditCertificate.objects.order_by("-issued_at"))))
    results = list(registration.assessment_results.all())
    passed = any(r.passed for r in results)
    quiz_attempts = sum(1 for r in results if r.source == "quiz")
    return render(request, "education/registration.html", {
        "registration": registration, "project": project, "due": services.registration_due(registration),
        "steps": _progress(registration, attended=bool(attendances), credited=project.state == project.State.CREDITED),
        "cancel_form": CancelForm(), "sessions": [(s, attendances.get(s.pk)) for s in project.sessions.all()],
        "awards": awards, "results": results, "passed": passed,
        "can_take_quiz": (registration.state == Registration.State.REGISTERED and not passed
                          and quiz_attempts < QUIZ_ATTEMPTS and quiz_open(project)),
    })
