"""The expert pool's rules (004 §9-15): who qualifies, terms and reminders, dismissal, training,
conflicts of interest, and who may be drawn."""
import datetime as dt

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django_fsm_log.models import StateLog

from experts.exceptions import NotQualified, PoolRuleBroken
from experts.models import Appointment, Conflict, Expert
from experts.pool import selectors
from experts.pool import services as pool
from experts.pool.qualifications import qualification_problems
from experts.pool.tests import helpers as x
from tests.evaluation.helpers import office

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)


def _problems(**overrides):
    values = {"birth_date": dt.date(1970, 1, 1), "title": "associate", "title_since": TODAY - relativedelta(years=5),
              "specialty_years": 10, "management_years": 0, "today": TODAY}
    values.update(overrides)
    return qualification_problems(**values)


# --- §9 at its boundaries -------------------------------------------------------------------

def test_69_is_accepted_and_70_on_the_day_is_refused():
    assert _problems(birth_date=TODAY - relativedelta(years=70) + dt.timedelta(days=1)) == []
    refused = _problems(birth_date=TODAY - relativedelta(years=70))
    assert len(refused) == 1 and "70 岁以下" in refused[0] and "已满 70 岁" in refused[0]


def test_five_years_in_the_specialty_are_needed_four_are_refused():
    assert _problems(specialty_years=5) == []
    assert "填写为 4 年" in _problems(specialty_years=4)[0]


def test_the_associate_title_must_have_been_held_three_years():
    assert _problems(title_since=TODAY - relativedelta(years=3)) == []
    refused = _problems(title_since=TODAY - relativedelta(years=2))
    assert "受聘满 3 年" in refused[0] and f"{(TODAY + relativedelta(years=1)):%Y年%m月%d日} 起满 3 年" in refused[0]
    assert "副高级及以上" in _problems(title="intermediate")[0]


def test_five_years_of_management_is_the_other_route():
    assert _problems(title="none", title_since=None, specialty_years=0, management_years=5) == []
    refused = _problems(title="none", title_since=None, specialty_years=0, management_years=4)
    assert "管理工作 5 年以上（填写为 4 年）" in refused[0]


def test_an_unqualified_application_is_refused_by_the_service_too():
    with pytest.raises(NotQualified, match="填写为 3 年"):
        x.applied(specialty_years=3)
    assert not Expert.objects.exists()


# --- terms, reminders, reappointment, dismissal -----------------------------------------------

def test_approval_appoints_for_three_years_with_a_numbered_letter_that_the_public_check_finds(
        client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        expert = x.appointed()
    appointment = expert.appointments.get()
    assert expert.state == Expert.State.APPOINTED
    assert expert.term_end == expert.term_start + relativedelta(years=3) - dt.timedelta(days=1)
    assert appointment.letter and appointment.number.startswith("PS")
    html = client.get("/certificates/check/", {"no": appointment.number}).content.decode()
    assert "评价专家聘书" in html and expert.name in html and "有效" in html


def test_terms_are_reminded_60_and_30_days_ahead_once_and_expire_when_they_end(django_capture_on_commit_callbacks):
    expert = x.appointed()
    end = expert.term_end
    at = lambda day: timezone.make_aware(dt.datetime.combine(day, dt.time(9)))  # noqa: E731
    with django_capture_on_commit_callbacks(execute=True):
        assert pool.experts_remind(now=at(end - dt.timedelta(days=61))) == 0
        assert pool.experts_remind(now=at(end - dt.timedelta(days=60))) == 1
        assert pool.experts_remind(now=at(end - dt.timedelta(days=45))) == 0
        assert pool.experts_remind(now=at(end - dt.timedelta(days=30))) == 1
        assert pool.experts_remind(now=at(end - dt.timedelta(days=10))) == 0
    assert expert.user.messages.filter(subject__contains="天后届满").count() == 2
    assert pool.experts_expire(now=at(end)) == 0
    assert pool.experts_expire(now=at(end + dt.timedelta(days=1))) == 1
    assert pool.experts_expire(now=at(end + dt.timedelta(days=2))) == 0
    expert.refresh_from_db()
    assert expert.state == Expert.State.EXPIRED


def test_reappointment_is_a_new_application_and_a_new_term_with_the_old_one_kept():
    expert = x.appointed()
    first_end = expert.term_end
    with time_machine.travel(first_end - dt.timedelta(days=20)):
        pool.expert_resubmit(expert_id=expert.pk, data=x.data(id_number=expert.id_number), by=expert.user)
        expert = pool.expert_approve(expert_id=expert.pk, by=office())
    assert expert.term_start == first_end + dt.timedelta(days=1)
    assert list(expert.appointments.order_by("start").values_list("end", flat=True)) == [first_end, expert.term_end]


@pytest.mark.parametrize("refusal", ["return", "reject"])
def test_a_refused_reappointment_leaves_the_running_term_drawable_and_its_letter_valid(refusal):
    expert = x.trained(x.appointed())
    first_end = expert.term_end
    letter = expert.appointments.get()
    with time_machine.travel(first_end - dt.timedelta(days=20)):
        pool.expert_resubmit(expert_id=expert.pk, data=x.data(id_number=expert.id_number), by=expert.user)
        if refusal == "return":
            pool.expert_return(expert_id=expert.pk, comment="请补充近三年工作经历", by=office())
        else:
            pool.expert_reject(expert_id=expert.pk, reason="近三年未参加评价工作", by=office())
        expert.refresh_from_db()
        assert expert.state == Expert.State.APPOINTED and expert.term_end == first_end
        assert expert.review_comment in ("请补充近三年工作经历", "近三年未参加评价工作")
        today = timezone.localdate()
        assert selectors.drawable(day=today, programme="capability").filter(pk=expert.pk).exists()
        found = selectors.letter_lookup(letter.number)
        assert found.valid and found.status == "有效"
        logged = StateLog.objects.for_(expert).order_by("-pk").first()
        assert logged.transition in ("return_for_correction", "reject") and logged.state == "appointed"
    # The term still ends by itself.
    with time_machine.travel(first_end + dt.timedelta(days=1)):
        pool.experts_expire(now=timezone.now())
    assert Expert.objects.get(pk=expert.pk).state == Expert.State.EXPIRED


def test_a_first_application_returned_or_rejected_gives_no_term():
    returned, rejected = x.applied(), x.applied()
    pool.expert_return(expert_id=returned.pk, comment="请补充职称证明", by=office())
    pool.expert_reject(expert_id=rejected.pk, reason="不满足第九条", by=office())
    assert Expert.objects.get(pk=returned.pk).state == Expert.State.RETURNED
    assert Expert.objects.get(pk=rejected.pk).state == Expert.State.REJECTED


def test_dismissal_needs_one_of_the_five_grounds_and_is_logged():
    expert = x.appointed()
    with pytest.raises(PoolRuleBroken, match="第十五条"):
        pool.expert_dismiss(expert_id=expert.pk, reason="dislike", note="x", by=office())
    staff = office()
    pool.expert_dismiss(expert_id=expert.pk, reason="bribery", note="经评价领导小组 2026 年第 3 次会议批准", by=staff)
    expert.refresh_from_db()
    assert expert.state == Expert.State.DISMISSED and expert.dismissal_reason == "bribery"
    log = StateLog.objects.for_(expert).get(transition="dismiss")
    assert log.by == staff and "收受受评单位财物" in log.description


@pytest.mark.parametrize("reason", [r for r, _ in Expert.DismissalReason.choices])
def test_each_of_the_five_grounds_dismisses(reason):
    expert = x.appointed()
    pool.expert_dismiss(expert_id=expert.pk, reason=reason, note="批准", by=office())
    assert Expert.objects.get(pk=expert.pk).get_dismissal_reason_display() == Expert.DismissalReason(reason).label


# --- who may be drawn --------------------------------------------------------------------------

def test_only_appointed_trained_in_term_experts_under_70_are_drawable():
    today = timezone.localdate()
    ready = x.trained(x.appointed())
    untrained = x.appointed()
    trained_for_credit_only = x.trained(x.appointed(), programme="credit")
    turning_70 = x.trained(x.appointed(birth_date=today - relativedelta(years=70) + dt.timedelta(days=10),
                                       title="none", title_since=None, specialty_years=0, management_years=8))
    dismissed = x.trained(x.appointed())
    pool.expert_dismiss(expert_id=dismissed.pk, reason="own_request", note="本人申请", by=office())
    expired = x.trained(x.appointed())
    Expert.objects.filter(pk=expired.pk).update(term_end=today - dt.timedelta(days=1))
    applicant = x.applied()
    drawable = set(selectors.drawable(day=today).values_list("pk", flat=True))
    assert drawable == {ready.pk, turning_70.pk}
    later = set(selectors.drawable(day=today + dt.timedelta(days=10)).values_list("pk", flat=True))
    assert later == {ready.pk}  # no longer drawable from the day they turn 70
    assert {untrained.pk, trained_for_credit_only.pk, applicant.pk}.isdisjoint(drawable)


def test_training_before_the_term_does_not_count():
    expert = x.appointed()
    x.trained(expert, on=expert.term_start - dt.timedelta(days=5))
    assert not selectors.drawable(day=timezone.localdate()).filter(pk=expert.pk).exists()


# --- conflicts of interest ------------------------------------------------------------------------

CODE, NAME = "91330100MA2AAAAA1X", "杭州某口腔医院"


@pytest.mark.parametrize(("kind", "starts", "ends", "visit", "blocked"), [
    ("current_employer", "2020-01-01", None, "2026-12-01", True),
    ("former_employer", "2015-01-01", "2024-06-30", "2026-12-01", True),   # left 2.5 years ago
    ("former_employer", "2015-01-01", "2023-06-30", "2026-12-01", False),  # left more than 3 years ago
    ("investment", "2026-12-05", None, "2026-12-01", False),               # not yet
    ("consulting", "2025-01-01", "2026-11-30", "2026-12-01", False),      # over before the visit
    ("consulting", "2025-01-01", "2026-12-01", "2026-12-01", True),       # last day is the visit
    ("family", "2000-01-01", None, "2026-12-01", True),
    ("other", "2026-01-01", "2026-12-31", "2026-12-01", True),
])
def test_the_conflict_selector_by_type_and_dates(kind, starts, ends, visit, blocked):
    expert = x.appointed()
    pool.conflict_declare(expert_id=expert.pk, kind=kind, institution_name=NAME, institution_credit_code=CODE,
                          starts_on=dt.date.fromisoformat(starts),
                          ends_on=dt.date.fromisoformat(ends) if ends else None, by=expert.user)
    day = dt.date.fromisoformat(visit)
    remaining = selectors.without_conflict(Expert.objects.all(), credit_code=CODE, name=NAME, start=day, end=day)
    assert remaining.filter(pk=expert.pk).exists() is not blocked
    reasons = selectors.conflict_reasons(expert, credit_code=CODE, name=NAME, start=day, end=day)
    assert bool(reasons) is blocked
    if blocked:
        assert Conflict.Kind(kind).label in reasons[0]


def test_an_institution_without_a_code_is_matched_by_name_and_the_employer_counts():
    named = x.appointed()
    pool.conflict_declare(expert_id=named.pk, kind="family", institution_name="某某诊所", starts_on=dt.date(2020, 1, 1),
                          by=office())
    employee = x.appointed(employer_name="某某诊所")
    free = x.appointed()
    day = dt.date(2026, 12, 1)
    remaining = selectors.without_conflict(Expert.objects.all(), credit_code="", name="某某诊所", start=day, end=day)
    assert set(remaining.values_list("pk", flat=True)) == {free.pk}
    assert "现任职单位" in selectors.conflict_reasons(employee, credit_code="", name="某某诊所", start=day, end=day)[0]


def test_a_conflict_that_ends_before_it_starts_is_refused():
    expert = x.appointed()
    with pytest.raises(PoolRuleBroken):
        pool.conflict_declare(expert_id=expert.pk, kind="other", institution_name=NAME, starts_on=dt.date(2026, 5, 1),
                              ends_on=dt.date(2026, 4, 1), by=expert.user)


def test_every_appointment_is_kept_and_numbered_uniquely():
    numbers = [x.appointed().appointments.get().number for _ in range(3)]
    assert len(set(numbers)) == 3 and Appointment.objects.count() == 3


def test_reappointment_opens_in_the_terms_last_six_months(client):
    expert = x.appointed()
    assert not Expert.objects.get(pk=expert.pk).reapplication_open()
    client.force_login(expert.user)
    assert client.get("/workbench/apply/")["Location"] == "/workbench/"
    assert "申请连任" not in client.get("/workbench/").content.decode()
    with time_machine.travel(expert.term_end - relativedelta(months=5)):
        client.force_login(expert.user)
        assert "申请连任" in client.get("/workbench/").content.decode()
        assert client.get("/workbench/apply/").status_code == 200
