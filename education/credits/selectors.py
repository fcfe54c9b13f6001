"""Reads of credits: a person's year (certificates, totals against the requirement), an
expert's lecturer credits, the public certificate check and a project's dashboard."""
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, Sum
from django.utils import timezone

from core.certificates import CertificateFound
from education.projects.models import CreditYear, Project
from education.registration.models import Registration
from education.rules import YearStanding, year_standing

from .models import CreditAward, CreditCertificate, Transcript


@dataclass(frozen=True)
class YearSummary:
    year: int
    awards: list[CreditAward]  # granted ones, each with its certificates (valid first)
    standing: YearStanding


def years_of(*, user) -> list[int]:
    years = set(CreditAward.objects.filter(user=user.pk).values_list("year", flat=True).distinct())
    return sorted(years | {timezone.localdate().year}, reverse=True)


def year_summary(*, user, year: int) -> YearSummary:
    """A person's granted credits of one year, with the totals per class (three queries)."""
    valid = CreditCertificate.objects.filter(state=CreditCertificate.State.VALID)
    awards = list(CreditAward.objects.filter(user=user.pk, year=year, credits__gt=0).select_related("project")
                  .prefetch_related(Prefetch("certificates", queryset=valid, to_attr="valid_certificates"))
                  .order_by("awarded_on", "pk"))
    totals = {1: Decimal("0"), 2: Decimal("0")}
    for award in awards:
        totals[award.credit_class] += award.credits
    standing = year_standing(class_one=totals[1], class_two=totals[2], requirement=CreditYear.for_year(year))
    return YearSummary(year=year, awards=awards, standing=standing)


def unawarded_of(*, user, year: int) -> list[CreditAward]:
    """Projects of the year that gave the person nothing, with the reason shown to them."""
    return list(CreditAward.objects.filter(user=user.pk, year=year, credits=0).select_related("project"))


def transcripts_of(*, user, year: int) -> list[Transcript]:
    return list(Transcript.objects.filter(user=user.pk, year=year)[:5])


def lecturer_awards_of(*, user) -> list[CreditAward]:
    """An expert's own lecturer credits, for the workbench (latest first)."""
    valid = CreditCertificate.objects.filter(state=CreditCertificate.State.VALID)
    return list(CreditAward.objects.filter(user=user.pk, role=CreditAward.Role.LECTURER).select_related("project")
                .prefetch_related(Prefetch("certificates", queryset=valid, to_attr="valid_certificates"))
                .order_by("-awarded_on", "-pk")[:20])


def certificate_lookup(number: str) -> CertificateFound | None:
    """A credit certificate by its number, for the public certificate check."""
    if not number.upper().startswith("XF"):
        return None
    certificate = (CreditCertificate.objects.select_related("award__project", "replaced_by")
                   .filter(number=number.upper()).first())
    if certificate is None:
        return None
    award = certificate.award
    valid = certificate.state == CreditCertificate.State.VALID
    details = [("项目", f"{award.project.number} {award.project.title}"),
               ("学分", f"{certificate.credits}（{award.get_credit_class_display()}，{award.get_role_display()}）"),
               ("授予日期", f"{award.awarded_on:%Y-%m-%d}")]
    replacement = getattr(certificate, "replaced_by", None)
    if not valid and replacement is not None:
        details.append(("已由新证书替代", replacement.number or ""))
    return CertificateFound(kind="继续医学教育学分证书", number=certificate.number, holder=award.name,
                            valid_from=award.awarded_on, valid_until=None, valid=valid,
                            status="有效" if valid else "已作废", details=details)


def project_dashboard(*, project: Project) -> dict:
    """Registered, checked in per session, credited (a handful of aggregate queries)."""
    registrations = project.registrations.aggregate(
        registered=Count("pk", filter=Q(state=Registration.State.REGISTERED)),
        awaiting=Count("pk", filter=Q(state=Registration.State.AWAITING_PAYMENT)),
    )
    awards = project.awards.aggregate(granted=Count("pk", filter=Q(credits__gt=0)),
                                      none=Count("pk", filter=Q(credits=0)), total=Sum("credits"))
    sessions = list(project.sessions.annotate(
        checked_in=Count("attendances", filter=Q(attendances__checked_in_at__isnull=False)),
        checked_out=Count("attendances", filter=Q(attendances__checked_out_at__isnull=False)),
    ))
    return {**registrations, **awards, "sessions": sessions, "capacity": project.capacity}
