"""Committees as people (001 §9, 004 §10): sizes 9-25 and 9-15 enforced, capability members
from the expert pool, one chair and one secretary, members who leave kept on record."""
import datetime as dt

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from experts.committees import services as committees
from experts.exceptions import CommitteeRuleBroken
from experts.models import Committee, CommitteeMember
from experts.pool.tests.helpers import appointed
from tests.accounts.factories import UserFactory
from tests.evaluation.helpers import office

pytestmark = pytest.mark.django_db


def _committee(kind) -> Committee:
    today = timezone.localdate()
    return Committee.objects.create(kind=kind, name=Committee.Kind(kind).label[:6], term_start=today,
                                    term_end=today + dt.timedelta(days=3 * 365))


def _seat(committee, n, by, role_of=lambda i: "member"):
    people = [appointed().user if committee.needs_experts else UserFactory() for _ in range(n)]
    return [committees.committee_add_member(committee_id=committee.pk, user=u, role=role_of(i), by=by)
            for i, u in enumerate(people)]


def _roles(i):
    return {0: "chair", 1: "secretary"}.get(i, "member")


@pytest.mark.parametrize(("kind", "fewest", "most"), [("leading_group", 9, 25), ("capability", 9, 15)])
def test_sizes_outside_the_regulation_are_refused(kind, fewest, most):
    staff = office()
    committee = _committee(kind)
    _seat(committee, fewest - 1, staff, _roles)
    with pytest.raises(CommitteeRuleBroken, match=f"{fewest}~{most} 人，现有 {fewest - 1} 人"):
        committees.committee_constitute(committee_id=committee.pk, by=staff)
    _seat(committee, most - fewest + 1, staff)
    extra = appointed().user if committee.needs_experts else UserFactory()
    with pytest.raises(CommitteeRuleBroken, match=f"至多 {most} 人"):
        committees.committee_add_member(committee_id=committee.pk, user=extra, by=staff)
    committees.committee_constitute(committee_id=committee.pk, by=staff)
    committee.refresh_from_db()
    assert committee.state == Committee.State.CONSTITUTED
    assert StateLog.objects.for_(committee).get().by == staff


def test_a_constituted_committee_cannot_fall_below_its_smallest_size_and_leavers_stay_on_record():
    staff = office()
    committee = _committee("leading_group")
    seats = _seat(committee, 10, staff, _roles)
    committees.committee_constitute(committee_id=committee.pk, by=staff)
    with pytest.raises(CommitteeRuleBroken, match="离任原因"):
        committees.committee_release_member(committee_id=committee.pk, member_id=seats[5].pk, reason=" ", by=staff)
    committees.committee_release_member(committee_id=committee.pk, member_id=seats[5].pk, reason="工作调动", by=staff)
    with pytest.raises(CommitteeRuleBroken, match="不得少于 9 人"):
        committees.committee_release_member(committee_id=committee.pk, member_id=seats[6].pk, reason="退休", by=staff)
    left = CommitteeMember.objects.get(pk=seats[5].pk)
    assert left.until == timezone.localdate() and left.leave_reason == "工作调动"
    assert committee.members.count() == 10  # nobody deleted


def test_capability_members_come_from_the_pool_one_seat_one_chair_one_secretary():
    staff = office()
    committee = _committee("capability")
    with pytest.raises(CommitteeRuleBroken, match="在聘的评价专家"):
        committees.committee_add_member(committee_id=committee.pk, user=UserFactory(), by=staff)
    expert = appointed()
    committees.committee_add_member(committee_id=committee.pk, user=expert.user, role="chair", by=staff)
    with pytest.raises(CommitteeRuleBroken, match="已是本委员会委员"):
        committees.committee_add_member(committee_id=committee.pk, user=expert.user, by=staff)
    with pytest.raises(CommitteeRuleBroken, match="该职务已有人担任"):
        committees.committee_add_member(committee_id=committee.pk, user=appointed().user, role="chair", by=staff)
    with pytest.raises(IntegrityError):
        CommitteeMember.objects.create(committee=committee, user=expert.user, name="重复", since=timezone.localdate(),
                                       added_by=staff)


def test_the_office_seats_members_in_the_admin_and_a_wrong_mobile_is_said_at_the_field(client):
    staff = office()
    committee = _committee("leading_group")
    client.force_login(staff)
    url = reverse("admin:experts_committee_transition", args=[committee.pk, "add_member"])
    response = client.post(url, {"mobile": "13999999999", "role": "member"})
    assert response.status_code == 422 and "没有使用该手机号的账号" in response.content.decode()
    person = UserFactory()
    client.post(url, {"mobile": person.mobile, "role": "chair", "title": "协会副会长"})
    assert committee.members.get().user == person
    assert client.get(reverse("admin:experts_committee_change", args=[committee.pk])).status_code == 200
