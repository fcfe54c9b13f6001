"""The national CME credit rules as arithmetic, with no database: what the computation, the
pages and the tests all ask. ``education/README.md`` states the same rules in words.

- A national project (国家级) gives participants 1 credit per 3 hours attended and lecturers 2
  credits per hour taught; a provincial one (省级) 1 per 6 hours and 1 per hour.
- Never more than the project's credit value, and no project more than 25.
- A participant below the project's attendance threshold (share of the project's hours), or
  who failed (or did not take) its assessment, gets nothing, and is told why.
- A session counts in full when the participant checked in and out within 15 minutes of its
  start and end; otherwise the share of its time between check-in and check-out.
- Credits are rounded down to one decimal place: a person never holds more than earned.
- The yearly requirement: at least ``total`` credits, of which 一类 at least ``class_one_min``
  and 二类 at least ``class_two_min``; each class counts towards the total only up to its
  maximum, so neither class can stand in for the other.
"""
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

PROJECT_CAP = Decimal("25")
STEP = Decimal("0.1")

# hours per participant credit, lecturer credits per hour, by project level
PARTICIPANT_HOURS_PER_CREDIT = {"national": Decimal("3"), "provincial": Decimal("6")}
LECTURER_CREDITS_PER_HOUR = {"national": Decimal("2"), "provincial": Decimal("1")}


GRACE = dt.timedelta(minutes=15)
FAILED = "考核未通过"


def session_hours_attended(*, starts_at: dt.datetime, ends_at: dt.datetime, hours: Decimal,
                           checked_in_at: dt.datetime | None, checked_out_at: dt.datetime | None) -> Decimal:
    """The hours of one session a participant is credited with (check-in and check-out both
    recorded, or nothing)."""
    if checked_in_at is None or checked_out_at is None or checked_out_at <= checked_in_at:
        return Decimal("0.0")
    if checked_in_at <= starts_at + GRACE and checked_out_at >= ends_at - GRACE:
        return hours
    present = min(checked_out_at, ends_at) - max(checked_in_at, starts_at)
    if present.total_seconds() <= 0:
        return Decimal("0.0")
    share = Decimal(present.total_seconds()) / Decimal((ends_at - starts_at).total_seconds())
    return (hours * share).quantize(STEP, rounding=ROUND_DOWN)


@dataclass(frozen=True)
class Outcome:
    credits: Decimal
    reason: str = ""  # why nothing (or less) was awarded, in words for the person


def _capped(raw: Decimal, credit_value: Decimal) -> Decimal:
    return min(raw, credit_value, PROJECT_CAP).quantize(STEP, rounding=ROUND_DOWN)


def participant_credits(*, level: str, credit_value: Decimal, attended_hours: Decimal, total_hours: Decimal,
                        threshold_percent: int, assessment_passed: bool | None) -> Outcome:
    """``assessment_passed`` is None when the project sets no assessment."""
    if total_hours <= 0 or attended_hours <= 0:
        return Outcome(Decimal("0.0"), "没有签到签退记录的出勤")
    rate = attended_hours / total_hours * 100
    if rate < threshold_percent:
        return Outcome(Decimal("0.0"), f"出勤 {attended_hours} 学时，占总学时 {rate:.0f}%，低于项目要求的 {threshold_percent}%")
    if assessment_passed is False:
        return Outcome(Decimal("0.0"), FAILED)
    raw = attended_hours / PARTICIPANT_HOURS_PER_CREDIT[level]
    return Outcome(_capped(raw, credit_value))


def lecturer_credits(*, level: str, credit_value: Decimal, hours_taught: Decimal) -> Outcome:
    if hours_taught <= 0:
        return Outcome(Decimal("0.0"), "没有授课学时")
    return Outcome(_capped(hours_taught * LECTURER_CREDITS_PER_HOUR[level], credit_value))


@dataclass(frozen=True)
class YearStanding:
    class_one: Decimal
    class_two: Decimal
    counted: Decimal  # towards the total: each class only up to its maximum
    total_required: Decimal
    class_one_min: Decimal
    class_two_min: Decimal
    met: bool
    missing: list[str]

    @property
    def percent(self) -> int:
        return min(100, int(self.counted / self.total_required * 100)) if self.total_required else 100


def year_standing(*, class_one: Decimal, class_two: Decimal, requirement) -> YearStanding:
    """``requirement`` has total, class_one_min/max and class_two_min/max (a CreditYear)."""
    counted = min(class_one, requirement.class_one_max) + min(class_two, requirement.class_two_max)
    missing = []
    if class_one < requirement.class_one_min:
        missing.append(f"一类学分还差 {requirement.class_one_min - class_one}")
    if class_two < requirement.class_two_min:
        missing.append(f"二类学分还差 {requirement.class_two_min - class_two}")
    if counted < requirement.total:
        missing.append(f"计入的学分还差 {requirement.total - counted}（一类最多计入 {requirement.class_one_max}，"
                       f"二类最多计入 {requirement.class_two_max}）")
    return YearStanding(class_one=class_one, class_two=class_two, counted=counted, total_required=requirement.total,
                        class_one_min=requirement.class_one_min, class_two_min=requirement.class_two_min,
                        met=not missing, missing=missing)
