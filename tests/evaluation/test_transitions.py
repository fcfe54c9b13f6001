"""Every allowed and every forbidden transition of Evaluation."""
import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from evaluation.models import Evaluation
from tests.evaluation import helpers as h

pytestmark = pytest.mark.django_db
S = Evaluation.State
NOW = timezone.now

MOVES = {
    "submit": lambda e: e.submit(at=NOW()),
    "accept": lambda e: e.accept(fee=Decimal("8000")),
    "return_for_correction": lambda e: e.return_for_correction(comment="补正"),
    "reject": lambda e: e.reject(reason="不符合"),
    "fee_paid": lambda e: e.fee_paid(),
    "submit_self_assessment": lambda e: e.submit_self_assessment(self_score=Decimal(80)),
    "request_supplement": lambda e: e.request_supplement(comment="补充"),
    "resubmit_supplement": lambda e: e.resubmit_supplement(),
    "give_initial_result": lambda e: e.give_initial_result(score=Decimal(90), grade="AAA"),
    "appeal": lambda e: e.appeal(),
    "answer_appeal": lambda e: e.answer_appeal(),
    "close_appeal_window": lambda e: e.close_appeal_window(),
    "committee_approve": lambda e: e.committee_approve(),
    "committee_send_back": lambda e: e.committee_send_back(),
    "uphold_objection": lambda e: e.uphold_objection(),
    "publish": lambda e: e.publish(at=NOW(), valid_until=dt.date(2029, 1, 1), certificate_no=f"XY{e.pk}"),
    "downgrade": lambda e: e.downgrade(grade="BB", reason="降级"),
    "revoke": lambda e: e.revoke(reason="撤销"),
    "expire": lambda e: e.expire(),
}
ALLOWED = {
    ("submit", S.DRAFT): S.SUBMITTED,
    ("submit", S.RETURNED): S.SUBMITTED,
    ("accept", S.SUBMITTED): S.AWAITING_PAYMENT,
    ("return_for_correction", S.SUBMITTED): S.RETURNED,
    ("reject", S.SUBMITTED): S.REJECTED,
    ("fee_paid", S.AWAITING_PAYMENT): S.SELF_ASSESSMENT,
    ("submit_self_assessment", S.SELF_ASSESSMENT): S.UNDER_REVIEW,
    ("request_supplement", S.UNDER_REVIEW): S.SUPPLEMENT,
    ("resubmit_supplement", S.SUPPLEMENT): S.UNDER_REVIEW,
    ("give_initial_result", S.UNDER_REVIEW): S.INITIAL_RESULT,
    ("appeal", S.INITIAL_RESULT): S.APPEALED,
    ("answer_appeal", S.APPEALED): S.COMMITTEE,
    ("close_appeal_window", S.INITIAL_RESULT): S.COMMITTEE,
    ("committee_approve", S.COMMITTEE): S.PUBLIC_NOTICE,
    ("committee_send_back", S.COMMITTEE): S.UNDER_REVIEW,
    ("uphold_objection", S.PUBLIC_NOTICE): S.COMMITTEE,
    ("publish", S.PUBLIC_NOTICE): S.PUBLISHED,
    ("downgrade", S.PUBLISHED): S.PUBLISHED,
    ("revoke", S.PUBLISHED): S.REVOKED,
    ("expire", S.PUBLISHED): S.EXPIRED,
}


def _evaluation(state) -> Evaluation:
    evaluation = h.started()
    Evaluation.objects.filter(pk=evaluation.pk).update(state=state)
    return Evaluation.objects.get(pk=evaluation.pk)


@pytest.mark.parametrize(("move", "source"), list(ALLOWED))
def test_allowed_evaluation_transition(move, source):
    evaluation = _evaluation(source)
    MOVES[move](evaluation)
    evaluation.save()
    assert Evaluation.objects.get(pk=evaluation.pk).state == ALLOWED[(move, source)]


@pytest.mark.parametrize(("move", "source"), [(m, s) for m in MOVES for s in S.values if (m, s) not in ALLOWED])
def test_forbidden_evaluation_transition(move, source):
    evaluation = _evaluation(source)
    with pytest.raises(TransitionNotAllowed):
        MOVES[move](evaluation)


def test_evaluation_state_cannot_be_assigned_directly():
    evaluation = h.started()
    with pytest.raises(AttributeError):
        evaluation.state = S.PUBLISHED


def test_a_stale_copy_cannot_save_over_a_decision():
    evaluation = h.submitted()
    stale = Evaluation.objects.get(pk=evaluation.pk)
    evaluation.accept(fee=Decimal(1))
    evaluation.save()
    stale.reject(reason="迟到")
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        stale.save()
