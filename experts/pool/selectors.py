"""Reads about the expert pool: who may review an institution on given dates, and who may
be drawn today. Both are database queries, usable to filter a draw, not Python loops."""
import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from core.certificates import CertificateFound
from experts.pool.models import Appointment, Conflict, Expert, TrainingRecord
from experts.pool.qualifications import MAX_AGE


def _blocking(credit_code: str, name: str, start: dt.date, end: dt.date) -> Q:
    """Conflicts naming the institution (by credit code, or by name when it has none) that
    overlap the dates: begun by the last day and not ended (a former employer: not three
    years past) before the first."""
    who = Q(institution_name=name.strip()) if name else Q(pk__in=[])
    if credit_code:
        who |= Q(institution_credit_code=credit_code.strip().upper())
    return who & Q(starts_on__lte=end) & (Q(blocks_until__isnull=True) | Q(blocks_until__gte=start))


def conflicts_with(*, credit_code: str, name: str, start: dt.date, end: dt.date) -> QuerySet[Conflict]:
    return Conflict.objects.filter(_blocking(credit_code, name, start, end)).select_related("expert")


def without_conflict(experts: QuerySet[Expert], *, credit_code: str, name: str, start: dt.date,
                     end: dt.date) -> QuerySet[Expert]:
    """``experts`` minus those who may not review this institution on these dates: a declared
    or recorded conflict, or the institution being their current employer."""
    declared = Conflict.objects.filter(_blocking(credit_code, name, start, end), expert=OuterRef("pk"))
    employer = Q(employer_name=name.strip()) if name else Q(pk__in=[])
    if credit_code:
        employer |= Q(employer_credit_code=credit_code.strip().upper())
    return experts.exclude(Exists(declared)).exclude(employer)


def conflict_reasons(expert: Expert, *, credit_code: str, name: str, start: dt.date, end: dt.date) -> list[str]:
    """Why this expert may not review this institution on these dates (empty: they may)."""
    reasons = [f"{c.get_kind_display()}：{c.institution_name}（{c.starts_on:%Y-%m-%d} 起"
               f"{'' if c.blocks_until is None else f'，回避至 {c.blocks_until:%Y-%m-%d}'}）"
               for c in conflicts_with(credit_code=credit_code, name=name, start=start, end=end).filter(expert=expert)]
    code = (credit_code or "").strip().upper()
    if (code and expert.employer_credit_code.upper() == code) or (name and expert.employer_name == name.strip()):
        reasons.append(f"现任职单位：{expert.employer_name}")
    return reasons


def in_term(day: dt.date) -> Q:
    """Appointed (or applying for reappointment) with a term that covers ``day``."""
    return (Q(state__in=[Expert.State.APPOINTED, Expert.State.APPLIED])
            & Q(term_start__lte=day, term_end__gte=day))


def under_age(day: dt.date) -> Q:
    """Younger than 70 on ``day`` (born after the day 70 years before it)."""
    return Q(birth_date__gt=day - relativedelta(years=MAX_AGE))


def trained(programme: str) -> Exists:
    """Passed a training session for ``programme`` within the current term (004 §11)."""
    return Exists(TrainingRecord.objects.filter(
        expert=OuterRef("pk"), passed=True, session__programme=programme,
        session__ends_on__gte=OuterRef("term_start"), session__ends_on__lte=OuterRef("term_end")))


def drawable(*, day: dt.date, programme: str = "capability") -> QuerySet[Expert]:
    """Experts who may be drawn for a visit on ``day``: in term, under 70, trained."""
    return Expert.objects.filter(in_term(day), under_age(day)).filter(trained(programme))


def pool(*, day: dt.date | None = None) -> QuerySet[Expert]:
    """The pool for staff lists, each expert annotated with whether they may be drawn today."""
    day = day or timezone.localdate()
    return Expert.objects.select_related("user").annotate(
        drawable_today=Exists(drawable(day=day).filter(pk=OuterRef("pk"))))


def letter_lookup(number: str):
    """An appointment letter (聘书) by its number, for the public certificate check."""
    appointment = Appointment.objects.select_related("expert").filter(number=number.upper()).first()
    if appointment is None:
        return None
    expert, today = appointment.expert, timezone.localdate()
    valid = (expert.state in (Expert.State.APPOINTED, Expert.State.APPLIED)
             and appointment.start <= today <= appointment.end and expert.term_end == appointment.end)
    status = "有效" if valid else ("已解聘" if expert.state == Expert.State.DISMISSED else "已失效")
    return CertificateFound(kind="评价专家聘书", number=appointment.number, holder=expert.name,
                            valid_from=appointment.start, valid_until=appointment.end, valid=valid, status=status,
                            details=[("专业", expert.get_specialty_display()), ("工作单位", expert.employer_name)])


def workbench_profile(*, expert: Expert) -> dict:
    """What an expert sees of themself in the workbench: terms, training, conflicts."""
    return {
        "appointments": list(expert.appointments.all()),
        "training": list(expert.training_records.select_related("session").order_by("-session__starts_on")),
        "conflicts": list(expert.conflicts.all()),
        "trained_now": drawable(day=timezone.localdate()).filter(pk=expert.pk).exists(),
    }
