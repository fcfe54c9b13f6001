"""The national CME credit rules as arithmetic (education.rules): rates by level, caps, the
attendance threshold, assessment, a session's attended hours, and the yearly requirement."""
import datetime as dt
from decimal import Decimal as D

import pytest

from education.models import CreditYear
from education.rules import lecturer_credits, participant_credits, session_hours_attended, year_standing


def participant(level="national", value="25", attended="3", total="3", threshold=80, passed=None):
    return participant_credits(level=level, credit_value=D(value), attended_hours=D(attended), total_hours=D(total),
                               threshold_percent=threshold, assessment_passed=passed)


@pytest.mark.parametrize(("level", "attended", "credits"), [
    ("national", "3", "1.0"), ("national", "12", "4.0"), ("national", "4", "1.3"),
    ("provincial", "6", "1.0"), ("provincial", "12", "2.0"), ("provincial", "3", "0.5"),
])
def test_participants_earn_by_the_level_rate(level, attended, credits):
    assert participant(level=level, attended=attended, total=attended).credits == D(credits)


@pytest.mark.parametrize(("level", "hours", "credits"), [
    ("national", "1", "2.0"), ("national", "3", "6.0"), ("provincial", "1", "1.0"), ("provincial", "3", "3.0"),
])
def test_lecturers_earn_by_the_hours_taught(level, hours, credits):
    assert lecturer_credits(level=level, credit_value=D("25"), hours_taught=D(hours)).credits == D(credits)


def test_never_more_than_the_projects_credit_value_nor_25():
    assert participant(attended="30", total="30", value="4").credits == D("4")
    assert lecturer_credits(level="national", credit_value=D("6"), hours_taught=D("12")).credits == D("6")
    # A project may not award more than 25, whatever it was filed with.
    assert participant(attended="120", total="120", value="40").credits == D("25")
    assert lecturer_credits(level="national", credit_value=D("30"), hours_taught=D("20")).credits == D("25")


def test_attendance_below_the_threshold_gives_nothing_and_says_why():
    below = participant(attended="9", total="12", threshold=80)
    assert below.credits == 0
    assert "75%" in below.reason and "80%" in below.reason
    at_threshold = participant(attended="9.6", total="12", threshold=80)
    assert at_threshold.credits == D("3.2")
    assert participant(attended="6", total="12", threshold=50).credits == D("2")
    assert participant(attended="0", total="12").reason == "没有签到签退记录的出勤"


def test_a_failed_assessment_gives_nothing_a_passed_one_counts():
    assert participant(passed=False).credits == 0 and participant(passed=False).reason == "考核未通过"
    assert participant(passed=True).credits == D("1")
    assert participant(passed=None).credits == D("1")  # no assessment set


def _session(**moments):
    day = dt.datetime(2026, 12, 4, tzinfo=dt.UTC)
    return {"starts_at": day.replace(hour=1), "ends_at": day.replace(hour=4), "hours": D("3"),
            **{k: day.replace(hour=h, minute=m) if h is not None else None for k, (h, m) in moments.items()}}


def test_a_session_counts_in_full_within_fifteen_minutes_of_its_start_and_end():
    assert session_hours_attended(**_session(checked_in_at=(1, 10), checked_out_at=(3, 50))) == D("3")
    # Half an hour late: the share of the session between check-in and the end.
    assert session_hours_attended(**_session(checked_in_at=(1, 30), checked_out_at=(4, 0))) == D("2.5")
    # Only one of the two recorded: nothing.
    assert session_hours_attended(**_session(checked_in_at=(1, 0), checked_out_at=(None, None))) == 0
    assert session_hours_attended(**_session(checked_in_at=(None, None), checked_out_at=(4, 0))) == 0


def test_the_two_classes_cannot_stand_in_for_each_other():
    defaults = CreditYear(year=2026)
    assert year_standing(class_one=D("10"), class_two=D("15"), requirement=defaults).met
    assert year_standing(class_one=D("5"), class_two=D("20"), requirement=defaults).met
    # Thirty 一类 credits: 二类 is missing, and only 10 of them count towards 25.
    only_one = year_standing(class_one=D("30"), class_two=D("0"), requirement=defaults)
    assert not only_one.met and only_one.counted == D("10")
    assert any("二类学分还差 15" in m for m in only_one.missing)
    # Enough of each minimum but 一类 above its maximum does not make up the total.
    short = year_standing(class_one=D("12"), class_two=D("12"), requirement=defaults)
    assert not short.met and short.counted == D("22") and short.percent == 88
    # A year's requirement set in the admin replaces the defaults.
    stricter = CreditYear(year=2027, total=D("30"), class_two_min=D("20"), class_two_max=D("25"))
    assert not year_standing(class_one=D("10"), class_two=D("15"), requirement=stricter).met
