"""Every allowed and every forbidden transition of Member."""
import pytest
from django.db import transaction
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from membership.models import Member
from tests.membership.factories import UnitMemberFactory

pytestmark = pytest.mark.django_db
S = Member.State
NOW = "2026-01-01T00:00:00+08:00"

MOVES = {
    "approve": lambda m: m.approve(),
    "return_for_correction": lambda m: m.return_for_correction(comment="请补充营业执照"),
    "resubmit": lambda m: m.resubmit(at=NOW),
    "reject": lambda m: m.reject(reason="不符合条件"),
    "activate": lambda m: m.activate(member_no="DW2026000001"),
    "renew": lambda m: m.renew(),
    "expire": lambda m: m.expire(),
    "suspend": lambda m: m.suspend(reason="违规"),
    "reinstate": lambda m: m.reinstate(),
    "revoke": lambda m: m.revoke(reason="严重违规"),
}
ALLOWED = {
    ("approve", S.SUBMITTED): S.APPROVED,
    ("return_for_correction", S.SUBMITTED): S.RETURNED,
    ("resubmit", S.RETURNED): S.SUBMITTED,
    ("reject", S.SUBMITTED): S.REJECTED,
    ("activate", S.APPROVED): S.ACTIVE,
    ("renew", S.ACTIVE): S.ACTIVE,
    ("renew", S.EXPIRED): S.ACTIVE,
    ("expire", S.ACTIVE): S.EXPIRED,
    ("suspend", S.ACTIVE): S.SUSPENDED,
    ("reinstate", S.SUSPENDED): S.ACTIVE,
    ("revoke", S.ACTIVE): S.REVOKED,
    ("revoke", S.SUSPENDED): S.REVOKED,
    ("revoke", S.EXPIRED): S.REVOKED,
}


@pytest.mark.parametrize(("move", "source"), list(ALLOWED))
def test_allowed_member_transition(move, source):
    member = UnitMemberFactory(state=source)
    MOVES[move](member)
    member.save()
    assert Member.objects.get(pk=member.pk).state == ALLOWED[(move, source)]


@pytest.mark.parametrize(("move", "source"), [(m, s) for m in MOVES for s in S.values if (m, s) not in ALLOWED])
def test_forbidden_member_transition(move, source):
    member = UnitMemberFactory(state=source)
    with pytest.raises(TransitionNotAllowed):
        MOVES[move](member)


def test_member_state_cannot_be_assigned_directly():
    member = UnitMemberFactory()
    with pytest.raises(AttributeError):
        member.state = S.ACTIVE


def test_a_stale_copy_cannot_overwrite_a_review_decision():
    member = UnitMemberFactory()
    stale = Member.objects.get(pk=member.pk)
    member.approve()
    member.save()
    stale.reject(reason="迟到的决定")
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        stale.save()
    assert Member.objects.get(pk=member.pk).state == S.APPROVED


def test_the_member_number_is_kept_when_activated_again():
    member = UnitMemberFactory(state=S.APPROVED, member_no="DW2020000007")
    member.activate(member_no="DW2026999999")
    assert member.member_no == "DW2020000007"
