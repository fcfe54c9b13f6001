"""Every write to credits: computing a finished project's credits once, numbering and
rendering certificates, voiding and reissuing them, and yearly transcripts."""
import datetime as dt
import logging
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.calendar import add_working_days
from core.notifications import notification_send
from core.outbox import job_enqueue
from education.assessment.selectors import assessment_passed, outcomes
from education.attendance.selectors import attended_hours
from education.exceptions import CertificateRefused
from education.projects.models import Project
from education.registration.models import Registration
from education.rules import FAILED, lecturer_credits, participant_credits

from .documents import render_certificate, render_transcript
from .models import CreditAward, CreditCertificate, Transcript
from .selectors import year_summary

logger = logging.getLogger(__name__)

NO_RESULT = "未参加考核"
CREDIT_WORKING_DAYS = 5  # credits are computed within 5 working days of the project's end
TRANSCRIPT_REUSE = dt.timedelta(minutes=10)


def _participant_award(project, registration, *, hours, total_hours, results, today) -> CreditAward:
    passed = assessment_passed(project, results, registration.pk)
    outcome = participant_credits(level=project.level, credit_value=project.credit_value, attended_hours=hours,
                                  total_hours=total_hours, threshold_percent=project.attendance_threshold,
                                  assessment_passed=passed)
    failed = outcome.reason == FAILED and registration.pk not in results
    reason = NO_RESULT if failed else outcome.reason
    return CreditAward(project=project, user_id=registration.user_id, role=CreditAward.Role.PARTICIPANT,
                       registration=registration, name=registration.name, id_number=registration.id_number,
                       unit=registration.unit, title=registration.title, hours=hours, required_hours=total_hours,
                       credits=outcome.credits, credit_class=project.credit_class, year=today.year,
                       awarded_on=today, reason=reason)


def _lecturer_awards(project, sessions, *, total_hours, today) -> list[CreditAward]:
    taught: dict[int, tuple] = {}
    for session in sessions:
        for lecturer in session.lecturers.all():
            hours = taught.get(lecturer.user_id, (Decimal("0"), lecturer))[0] + session.hours
            taught[lecturer.user_id] = (hours, lecturer)
    awards = []
    for user_id, (hours, lecturer) in taught.items():
        outcome = lecturer_credits(level=project.level, credit_value=project.credit_value, hours_taught=hours)
        awards.append(CreditAward(project=project, user_id=user_id, role=CreditAward.Role.LECTURER, name=lecturer.name,
                                  unit=lecturer.unit, title=lecturer.title, hours=hours, required_hours=total_hours,
                                  credits=outcome.credits, credit_class=project.credit_class, year=today.year,
                                  awarded_on=today, reason=outcome.reason))
    return awards


def project_credits_compute(*, project_id: int, by=None) -> list[CreditAward]:
    """Compute every participant's and lecturer's credits for a finished project, once: an
    award for each (with the reason when it is nothing), a numbered certificate for each
    award above zero (PDFs by Celery), and the project marked credited."""
    today = timezone.localdate()
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project_id)
        if project.state != Project.State.OPEN:
            return []  # computed already (or cancelled): a second run changes nothing
        sessions = list(project.sessions.prefetch_related("lecturers"))
        total_hours = sum((s.hours for s in sessions), Decimal("0"))
        hours = attended_hours(project=project, sessions=sessions)
        results = outcomes(project=project)
        awards = [
            _participant_award(project, registration, hours=hours.get(registration.pk, Decimal("0.0")),
                               total_hours=total_hours, results=results, today=today)
            for registration in project.registrations.filter(state=Registration.State.REGISTERED)
        ] + _lecturer_awards(project, sessions, total_hours=total_hours, today=today)
        CreditAward.objects.bulk_create(awards)
        for award in awards:
            if award.granted:
                _certificate_issue(award)
            else:
                _notify_no_credit(award)
        project.credit(at=timezone.now(), by=by, description=f"学分计算完成：{len(awards)} 人")
        project.save()
    logger.info("project %s credited: %s awards", project.number, len(awards))
    return awards


def _certificate_issue(award: CreditAward, *, replaces: CreditCertificate | None = None) -> CreditCertificate:
    certificate = CreditCertificate.objects.create(award=award, credits=award.credits, replaces=replaces)
    # The number is the row's own id: unique without a counter to lock, and never reused.
    certificate.number = f"XF{award.awarded_on:%Y}{certificate.pk:07d}"
    certificate.save(update_fields=["number"])
    job_enqueue("education.tasks.generate_certificate", certificate.pk)
    return certificate


def _notify_no_credit(award: CreditAward) -> None:
    transaction.on_commit(lambda: notification_send(
        template="education_no_credit", user=award.user, url=reverse("education:my_credits"),
        context={"award": award, "project": award.project}, channels=["site", "email"],
    ))


def certificate_generate(*, certificate_id: int) -> CreditCertificate:
    """Render a certificate's PDF, once, and tell its holder."""
    with transaction.atomic():
        certificate = (CreditCertificate.objects.select_for_update()
                       .select_related("award__project", "award__user").get(pk=certificate_id))
        if certificate.pdf:
            return certificate
        certificate.pdf.save(f"{certificate.number}.pdf", ContentFile(render_certificate(certificate)), save=False)
        certificate.save(update_fields=["pdf"])
        award = certificate.award
        transaction.on_commit(lambda: notification_send(
            template="education_certificate", user=award.user, url=reverse("education:my_credits"),
            context={"award": award, "project": award.project, "certificate": certificate},
        ))
    return certificate


def certificate_reissue(*, certificate_id: int, by, reason: str, credits: Decimal | None = None) -> CreditCertificate:
    """A correction: the certificate is voided with the reason and a new number is issued (with
    corrected credits, when given). Both stay on record; nothing issued is edited."""
    reason = (reason or "").strip()
    if not reason:
        raise CertificateRefused("作废证书须写明原因。")
    with transaction.atomic():
        old = CreditCertificate.objects.select_for_update().select_related("award__project").get(pk=certificate_id)
        if old.state != CreditCertificate.State.VALID:
            raise CertificateRefused("该证书已作废。")
        award = old.award
        if credits is not None:
            cap = min(award.project.credit_value, Decimal("25"))
            if not Decimal("0") < credits <= cap:
                raise CertificateRefused(f"更正后的学分应大于 0 且不超过项目学分 {cap}。")
            award.credits = credits
            award.save(update_fields=["credits"])
        old.state, old.voided_at, old.voided_by, old.void_reason = (
            CreditCertificate.State.VOID, timezone.now(), by, reason)
        old.save(update_fields=["state", "voided_at", "voided_by", "void_reason"])
        new = _certificate_issue(award, replaces=old)
    logger.info("certificate %s voided by %s (%s), reissued as %s", old.number, by.pk, reason, new.number)
    return new


def transcript_request(*, user, year: int) -> Transcript:
    """A 学分证明 for the year, made by Celery; each request is its own document, kept. A second
    press within ``TRANSCRIPT_REUSE`` gets the one just made (no document per click)."""
    with transaction.atomic():
        recent = (Transcript.objects.filter(
            user=user.pk, year=year, requested_at__gte=timezone.now() - TRANSCRIPT_REUSE).first())
        if recent is not None:
            return recent
        transcript = Transcript.objects.create(user=user, year=year)
        job_enqueue("education.tasks.generate_transcript", transcript.pk)
    return transcript


def transcript_generate(*, transcript_id: int) -> Transcript:
    with transaction.atomic():
        transcript = Transcript.objects.select_for_update().select_related("user").get(pk=transcript_id)
        if transcript.pdf:
            return transcript
        summary = year_summary(user=transcript.user, year=transcript.year)
        transcript.pdf.save(f"transcript-{transcript.year}.pdf",
                            ContentFile(render_transcript(transcript, summary)), save=False)
        transcript.save(update_fields=["pdf"])
    return transcript


def projects_credit(*, now=None) -> int:
    """The deadline scanner's work: credit each finished project once it is ready, and at the
    latest on the 5th working day after its last day. A project without assessment is ready
    the day after it ends; with one, when every participant has a result (or at the deadline,
    when those without one get no credit and are told why)."""
    today = timezone.localdate(now)
    done = 0
    for project in Project.objects.filter(state=Project.State.OPEN, ends_on__lt=today).order_by("ends_on"):
        due = add_working_days(project.ends_on, CREDIT_WORKING_DAYS).date
        if project.assessment != Project.Assessment.NONE and today < due and _results_missing(project):
            continue
        with transaction.atomic():
            if not Project.objects.select_for_update(skip_locked=True).filter(pk=project.pk).exists():
                continue  # another scanner run holds it
            done += bool(project_credits_compute(project_id=project.pk))
    return done


def _results_missing(project: Project) -> bool:
    return project.registrations.filter(state=Registration.State.REGISTERED, assessment_results__isnull=True).exists()
