"""Working days (工作日) on the Chinese official calendar.

A date is decided, in this order, by a staff override (CalendarOverride), by the
``chinesecalendar`` package for the years it covers, and otherwise by Monday–Friday. The
last case is a guess: results that depend on it are marked provisional, unless staff have
confirmed that year's overrides as complete (ConfirmedCalendarYear).
"""
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar

# How far ahead one query for overrides looks; a longer span is fetched window by window.
_WINDOW_DAYS = 120


@dataclass(frozen=True)
class DueDate:
    date: dt.date
    provisional: bool


@lru_cache(maxsize=64)
def package_covers(year: int) -> bool:
    """Whether the calendar package has the official arrangement for ``year``."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


class _Calendar:
    """Answers day by day, loading overrides and confirmed years one window at a time."""

    def __init__(self):
        self._overrides: dict[dt.date, bool] = {}
        self._loaded_until: dt.date | None = None
        self._loaded_from: dt.date | None = None
        self._confirmed_years: set[int] | None = None

    def _load(self, day: dt.date) -> None:
        from .models import CalendarOverride

        if self._loaded_from is not None and self._loaded_from <= day <= self._loaded_until:
            return
        start, end = day, day + dt.timedelta(days=_WINDOW_DAYS)
        rows = CalendarOverride.objects.filter(date__range=(start, end)).values_list("date", "kind")
        self._overrides = {d: kind == CalendarOverride.Kind.WORKDAY for d, kind in rows}
        self._loaded_from, self._loaded_until = start, end

    def _confirmed(self, year: int) -> bool:
        from .models import ConfirmedCalendarYear

        if self._confirmed_years is None:
            self._confirmed_years = set(ConfirmedCalendarYear.objects.values_list("year", flat=True))
        return year in self._confirmed_years

    def status(self, day: dt.date) -> tuple[bool, bool]:
        """(is a working day, decided only by the Monday–Friday guess)."""
        self._load(day)
        if day in self._overrides:
            return self._overrides[day], False
        if package_covers(day.year):
            return chinese_calendar.is_workday(day), False
        return day.weekday() < 5, not self._confirmed(day.year)


def years_to_confirm(today: dt.date, *, ahead: int = 1) -> list[int]:
    """This year and the next ``ahead`` ones whose working days are only guessed: the package
    does not cover them and staff have not confirmed their overrides as complete."""
    calendar = _Calendar()
    return [year for year in range(today.year, today.year + ahead + 1)
            if not package_covers(year) and not calendar._confirmed(year)]


def provisional_note(*dates: DueDate) -> str:
    """What to tell staff before they send dates computed on a guessed calendar ("" if none)."""
    years = sorted({d.date.year for d in dates if d.provisional})
    if not years:
        return ""
    listed = "、".join(f"{y} 年" for y in years)
    shown = "、".join(f"{d.date:%Y年%m月%d日}" for d in dates if d.provisional)
    return (f"注意：{shown} 由尚未确认的 {listed}工作日历算出，暂按周一至周五计算，节假日安排公布后可能变化。"
            "请先在“工作日历调整”中录入该年度的节假日与调休，并在“已确认的年度日历”中确认。")


def is_working_day(day: dt.date) -> bool:
    """Whether ``day`` is a working day (an uncovered year falls back to Monday–Friday)."""
    return _Calendar().status(day)[0]


def add_working_days(start: dt.date, days: int) -> DueDate:
    """The date ``days`` working days after ``start`` (``start`` itself is not counted).

    ``provisional`` is true when any day passed over or landed on was only guessed, so the
    date may move once the year's official arrangement is known.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    calendar = _Calendar()
    day, counted, provisional = start, 0, False
    while counted < days:
        day += dt.timedelta(days=1)
        working, guessed = calendar.status(day)
        provisional = provisional or guessed
        counted += working
    return DueDate(day, provisional)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    calendar = _Calendar()
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += calendar.status(day)[0]
    return count
