"""The auditable draw (004 §10): the frozen pool and its exclusions, the digest and the seed's
commitment stored before the draw, a deterministic draw that covers the required specialties,
the replay, and the group sizes the rules allow."""
import datetime as dt
import hashlib

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.db import IntegrityError
from django.test import override_settings
from django.utils import timezone
from django_fsm_log.models import StateLog

from experts.exceptions import VisitRuleBroken
from experts.models import Conflict, Expert, Invitation, Visit
from experts.pool import services as pool
from experts.pool.tests.helpers import appointed, trained
from experts.review import draw as drawing
from experts.review import services as visits
from experts.review.tests import helpers as v
from tests.evaluation.helpers import office

pytestmark = pytest.mark.django_db


def test_the_frozen_pool_excludes_each_ineligible_kind_with_its_reason():
    staff = office()
    evaluation = v.in_expert_review()
    first, last = v.dates()
    eligible = v.trained_pool(("clinical",) * 6)
    untrained = appointed(specialty="clinical")
    turning_70 = trained(appointed(specialty="clinical", birth_date=last - relativedelta(years=70)))
    expired = trained(appointed(specialty="clinical"))
    Expert.objects.filter(pk=expired.pk).update(state=Expert.State.EXPIRED)
    short_term = trained(appointed(specialty="clinical"))
    Expert.objects.filter(pk=short_term.pk).update(term_end=first)  # ends before the last visit day
    conflicted = trained(appointed(specialty="clinical"))
    pool.conflict_declare(expert_id=conflicted.pk, kind=Conflict.Kind.CONSULTING, starts_on=first - dt.timedelta(days=30),
                          institution_name=evaluation.member.name, by=conflicted.user)
    employed = trained(appointed(specialty="clinical", employer_name=evaluation.member.name))
    busy = trained(appointed(specialty="clinical"))
    capped = trained(appointed(specialty="clinical"))
    other = Visit.objects.create(evaluation=v.in_expert_review(), group_size=5, first_day=last, last_day=last,
                                 created_by=staff)
    Invitation.objects.create(visit=other, expert=busy, rank=1, drawn_as="group")
    same_year = next(d for d in (first - dt.timedelta(days=5), last + dt.timedelta(days=5)) if d.year == first.year)
    later = Visit.objects.create(evaluation=v.in_expert_review(), group_size=5, first_day=same_year,
                                 last_day=same_year, created_by=staff)
    Invitation.objects.create(visit=later, expert=capped, rank=1, drawn_as="group")
    Invitation.objects.filter(expert__in=[busy, capped]).update(state=Invitation.State.CONFIRMED)

    visit = v.planned(evaluation, by=staff)
    with override_settings(EXPERT_VISITS_PER_YEAR=1):
        visits.visit_freeze(visit_id=visit.pk, by=staff)
    visit.refresh_from_db()
    in_pool = {pk for pk, _ in visit.pool_snapshot["pool"]}
    reasons = dict(visit.pool_snapshot["excluded"])
    assert in_pool == {e.pk for e in eligible}
    assert "未参加本项目评价培训" in reasons[untrained.pk]
    assert "年满70周岁" in reasons[turning_70.pk]
    assert "未在聘" in reasons[expired.pk]
    assert "聘期未覆盖" in reasons[short_term.pk]
    assert reasons[conflicted.pk] == reasons[employed.pk] == "与受评单位存在利益冲突"
    assert reasons[busy.pk] == "同期已有其他现场评价任务"
    assert "已达 1 次上限" in reasons[capped.pk]


def test_the_digest_and_the_seed_commitment_are_stored_before_the_seed_is_revealed():
    staff = office()
    v.trained_pool()
    visit = v.planned(by=staff)
    visits.visit_freeze(visit_id=visit.pk, by=staff)
    visit.refresh_from_db()
    assert visit.state == Visit.State.FROZEN and visit.seed == "" and visit.result is None
    assert visit.pool_digest == hashlib.sha256(drawing.canonical(visit.pool_snapshot)).hexdigest()
    assert len(visit.seed_commitment) == 64
    assert not visit.invitations.exists()
    visits.visit_draw(visit_id=visit.pk, witness_name=v.WITNESS, witness_value="7301", by=staff)
    visit.refresh_from_db()
    assert hashlib.sha256(visit.seed.encode()).hexdigest() == visit.seed_commitment
    assert visit.frozen_at <= visit.drawn_at
    logged = list(StateLog.objects.for_(visit).order_by("timestamp", "pk").values_list("transition", flat=True))
    assert logged[:2] == ["freeze", "draw"]
    with pytest.raises(VisitRuleBroken):  # drawn once; a new draw needs a new visit
        visits.visit_draw(visit_id=visit.pk, witness_name=v.WITNESS, witness_value="7301", by=staff)


def test_the_same_pool_and_seed_always_give_the_same_group_and_reserves_and_the_replay_matches(capsys):
    snapshot = {"group_size": 5, "specialties": ["law", "finance"],
                "pool": [[n, "law" if n == 7 else "finance" if n == 11 else "clinical"] for n in range(1, 16)],
                "excluded": []}
    seed = "ab" * 32
    first = drawing.draw(snapshot, seed)
    assert drawing.draw(snapshot, seed) == first
    assert len(first["group"]) == 5 and {7, 11} <= set(first["group"])
    assert sorted(first["group"] + first["reserves"]) == list(range(1, 16))
    assert drawing.draw(snapshot, "cd" * 32) != first  # another seed, another order

    staff = office()
    v.trained_pool()
    visit = v.drawn(v.planned(by=staff), by=staff)
    replay = visits.draw_replay(visit)
    assert replay.matches and replay.recomputed == visit.result
    ranks = list(visit.invitations.order_by("rank").values_list("expert_id", flat=True))
    assert ranks == visit.result["group"] + visit.result["reserves"]
    call_command("draw_replay", str(visit.pk))
    assert "复核结果：一致" in capsys.readouterr().out

    Visit.objects.filter(pk=visit.pk).update(result={"group": visit.result["group"][::-1],
                                                     "reserves": visit.result["reserves"]})
    visit.refresh_from_db()
    assert not visits.draw_replay(visit).matches
    with pytest.raises(SystemExit):
        call_command("draw_replay", str(visit.pk))


def test_the_draw_covers_every_required_specialty_whatever_the_seed():
    snapshot = {"group_size": 5, "specialties": ["nursing", "law", "finance"],
                "pool": [[n, {3: "nursing", 9: "nursing", 5: "law", 13: "finance"}.get(n, "clinical")]
                         for n in range(1, 21)], "excluded": []}
    for n in range(40):
        group = drawing.draw(snapshot, hashlib.sha256(str(n).encode()).hexdigest())["group"]
        assert len(group) == 5 and {5, 13} <= set(group) and ({3, 9} & set(group))


def test_a_pool_that_cannot_cover_a_specialty_or_seat_the_group_is_refused_at_freezing():
    staff = office()
    v.trained_pool(("clinical",) * 5)
    visit = v.planned(size=5, specialties=["law"], by=staff)
    with pytest.raises(VisitRuleBroken, match="没有可抽取的专家覆盖"):
        visits.visit_freeze(visit_id=visit.pk, by=staff)
    assert Visit.objects.get(pk=visit.pk).state == Visit.State.PLANNED


@pytest.mark.parametrize("size", [4, 12])
def test_group_sizes_outside_5_to_11_are_refused(size):
    with pytest.raises(VisitRuleBroken, match="5~11"):
        v.planned(size=size)
    visit = v.planned(size=5)
    with pytest.raises(IntegrityError):
        Visit.objects.filter(pk=visit.pk).update(group_size=size)


def test_visit_dates_and_the_one_open_visit_are_enforced():
    staff = office()
    evaluation = v.in_expert_review()
    first, _ = v.dates()
    with pytest.raises(VisitRuleBroken, match="不超过 3 天"):
        visits.visit_create(evaluation_id=evaluation.pk, group_size=5, first_day=first,
                            last_day=first + dt.timedelta(days=3), specialties=[], by=staff)
    with pytest.raises(VisitRuleBroken, match="首日最早可定为"):
        visits.visit_create(evaluation_id=evaluation.pk, group_size=5, first_day=timezone.localdate(),
                            last_day=timezone.localdate(), specialties=[], by=staff)
    v.planned(evaluation, by=staff)
    with pytest.raises(VisitRuleBroken, match="已有未取消的现场评价"):
        v.planned(evaluation, by=staff)
