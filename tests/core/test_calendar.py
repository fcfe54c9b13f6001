import datetime as dt

import pytest

from core.calendar import add_working_days, is_working_day, package_covers, working_days_between
from core.models import CalendarOverride, ConfirmedCalendarYear

pytestmark = pytest.mark.django_db
D = dt.date


def test_ten_working_days_from_26_september_2025_cross_national_day_and_make_up_days():
    # 2025: 1-8 October off; Sunday 28 September and Saturday 11 October are working days.
    due = add_working_days(D(2025, 9, 26), 10)
    assert due.date == D(2025, 10, 16)
    assert due.provisional is False


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2025, 9, 28), True),   # Sunday, make-up working day
        (D(2025, 10, 1), False),  # National Day
        (D(2025, 10, 8), False),  # last day of the holiday, a Wednesday
        (D(2025, 10, 11), True),  # Saturday, make-up working day
        (D(2025, 10, 12), False),  # ordinary Sunday
        (D(2025, 10, 13), True),  # ordinary Monday
    ],
)
def test_is_working_day_follows_the_official_calendar(day, working):
    assert is_working_day(day) is working


def test_zero_working_days_is_the_start_date():
    assert add_working_days(D(2025, 10, 1), 0).date == D(2025, 10, 1)


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(D(2025, 10, 1), -1)


def test_a_holiday_override_moves_the_due_date():
    assert add_working_days(D(2025, 10, 13), 1).date == D(2025, 10, 14)
    CalendarOverride.objects.create(date=D(2025, 10, 14), kind=CalendarOverride.Kind.HOLIDAY, name="本地放假")
    assert is_working_day(D(2025, 10, 14)) is False
    assert add_working_days(D(2025, 10, 13), 1).date == D(2025, 10, 15)


def test_a_workday_override_turns_a_sunday_into_a_working_day():
    CalendarOverride.objects.create(date=D(2025, 10, 19), kind=CalendarOverride.Kind.WORKDAY)
    assert is_working_day(D(2025, 10, 19)) is True
    assert add_working_days(D(2025, 10, 17), 1).date == D(2025, 10, 19)


def test_a_year_the_package_does_not_cover_falls_back_to_monday_to_friday_and_is_provisional():
    assert not package_covers(2031)
    due = add_working_days(D(2031, 1, 3), 1)  # Friday
    assert due.date == D(2031, 1, 6)  # Monday
    assert due.provisional is True
    assert is_working_day(D(2031, 1, 4)) is False  # Saturday


def test_a_due_date_reaching_into_an_uncovered_year_is_provisional():
    last_covered = max(y for y in range(2020, 2040) if package_covers(y))
    due = add_working_days(D(last_covered, 12, 20), 15)
    assert due.date.year == last_covered + 1
    assert due.provisional is True


def test_overrides_decide_an_uncovered_year_and_confirming_the_year_removes_provisional():
    CalendarOverride.objects.create(date=D(2031, 1, 6), kind=CalendarOverride.Kind.HOLIDAY, name="元旦调休")
    due = add_working_days(D(2031, 1, 3), 1)
    assert due.date == D(2031, 1, 7)
    assert due.provisional is True

    ConfirmedCalendarYear.objects.create(year=2031, note="国办发明电〔2030〕X号")
    due = add_working_days(D(2031, 1, 3), 1)
    assert due.date == D(2031, 1, 7)
    assert due.provisional is False


def test_working_days_between_counts_after_start_up_to_end():
    assert working_days_between(D(2025, 9, 26), D(2025, 10, 16)) == 10
    assert working_days_between(D(2025, 10, 16), D(2025, 9, 26)) == 0


def test_long_spans_load_overrides_window_by_window(django_assert_max_num_queries):
    CalendarOverride.objects.create(date=D(2025, 12, 31), kind=CalendarOverride.Kind.HOLIDAY)
    with django_assert_max_num_queries(6):
        due = add_working_days(D(2025, 1, 2), 250)
    assert due.date.year == 2026
