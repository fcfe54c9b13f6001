"""The project's ConcurrentTransitionMixin still refuses a stale save, with its state fields
found once per class."""
import pytest
from django.db import transaction
from django_fsm import ConcurrentTransition

from evaluation.models import Evaluation
from membership.models import Member
from tests.membership.factories import UnitMemberFactory

pytestmark = pytest.mark.django_db


def test_a_save_over_a_state_changed_meanwhile_is_refused():
    member = UnitMemberFactory(state=Member.State.SUBMITTED)
    first, second = Member.objects.get(pk=member.pk), Member.objects.get(pk=member.pk)
    first.approve()
    first.save()
    second.reject(reason="重复申请")
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        second.save()
    assert Member.objects.get(pk=member.pk).state == Member.State.APPROVED


def test_the_state_fields_are_each_models_own():
    member = UnitMemberFactory()
    assert [f.name for f in member.state_fields] == ["state"]
    assert Member.__dict__["_fsm_state_fields"] is member.state_fields
    assert "_fsm_state_fields" not in Evaluation.__dict__ or Evaluation._fsm_state_fields[0].model is Evaluation
