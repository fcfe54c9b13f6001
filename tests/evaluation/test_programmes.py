"""Each programme's state graph, walked in full: every move it allows goes where its table
says, every other move from every state is refused; and nothing outside the models and the
programme modules lists states by hand."""
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, TransitionNotAllowed, can_proceed

from evaluation.models import Evaluation, Programme
from evaluation.programmes import registered, rules_for
from tests.evaluation import helpers as h
from tests.membership.factories import UnitMemberFactory

pytestmark = pytest.mark.django_db
S = Evaluation.State
NOW = timezone.now

# Every transition method with arguments that satisfy it; the graph decides where it may go.
MOVES = {
    "submit": lambda e: e.submit(at=NOW()),
    "accept": lambda e: e.accept(fee=Decimal("8000")),
    "return_for_correction": lambda e: e.return_for_correction(comment="补正"),
    "reject": lambda e: e.reject(reason="不符合"),
    "fee_paid": lambda e: e.fee_paid(),
    "submit_self_assessment": lambda e: e.submit_self_assessment(self_score=Decimal(80)),
    "request_supplement": lambda e: e.request_supplement(comment="补充"),
    "resubmit_supplement": lambda e: e.resubmit_supplement(),
    "submit_evidence": lambda e: e.submit_evidence(),
    "reopen_evidence": lambda e: e.reopen_evidence(comment="请补充 3.2 的佐证"),
    "start_visit": lambda e: e.start_visit(),
    "send_to_committee": lambda e: e.send_to_committee(score=Decimal(82)),
    "give_initial_result": lambda e: e.give_initial_result(score=Decimal(90), grade="AAA"),
    "appeal": lambda e: e.appeal(),
    "answer_appeal": lambda e: e.answer_appeal(),
    "close_appeal_window": lambda e: e.close_appeal_window(),
    "committee_approve": lambda e: e.committee_approve(),
    "committee_send_back": lambda e: e.committee_send_back(),
    "uphold_objection": lambda e: e.uphold_objection(),
    "publish": lambda e: e.publish(at=NOW(), valid_until=dt.date(2029, 1, 1), certificate_no=f"T{e.pk}"),
    "downgrade": lambda e: e.downgrade(grade="BB", reason="降级"),
    "extend": lambda e: e.extend(valid_until=dt.date(2030, 1, 1), reason="延期"),
    "revoke": lambda e: e.revoke(reason="撤销"),
    "expire": lambda e: e.expire(),
    "conclude_unrated": lambda e: e.conclude_unrated(),
}

# The graphs as the regulations give them (WORKFLOWS.md §2 and §3), written out here so the
# test does not just read the programme modules back.
CREDIT = {
    ("submit", S.DRAFT): S.SUBMITTED, ("submit", S.RETURNED): S.SUBMITTED,
    ("accept", S.SUBMITTED): S.AWAITING_PAYMENT, ("return_for_correction", S.SUBMITTED): S.RETURNED,
    ("reject", S.SUBMITTED): S.REJECTED, ("fee_paid", S.AWAITING_PAYMENT): S.SELF_ASSESSMENT,
    ("submit_self_assessment", S.SELF_ASSESSMENT): S.UNDER_REVIEW,
    ("request_supplement", S.UNDER_REVIEW): S.SUPPLEMENT, ("resubmit_supplement", S.SUPPLEMENT): S.UNDER_REVIEW,
    ("give_initial_result", S.UNDER_REVIEW): S.INITIAL_RESULT, ("appeal", S.INITIAL_RESULT): S.APPEALED,
    ("answer_appeal", S.APPEALED): S.COMMITTEE, ("close_appeal_window", S.INITIAL_RESULT): S.COMMITTEE,
    ("committee_approve", S.COMMITTEE): S.PUBLIC_NOTICE, ("committee_send_back", S.COMMITTEE): S.UNDER_REVIEW,
    ("uphold_objection", S.PUBLIC_NOTICE): S.COMMITTEE, ("publish", S.PUBLIC_NOTICE): S.PUBLISHED,
    ("downgrade", S.PUBLISHED): S.PUBLISHED, ("extend", S.PUBLISHED): S.PUBLISHED,
    ("revoke", S.PUBLISHED): S.REVOKED, ("expire", S.PUBLISHED): S.EXPIRED,
}
CAPABILITY = {
    ("submit", S.DRAFT): S.SUBMITTED, ("submit", S.RETURNED): S.SUBMITTED,
    ("accept", S.SUBMITTED): S.EVIDENCE, ("return_for_correction", S.SUBMITTED): S.RETURNED,
    ("reject", S.SUBMITTED): S.REJECTED, ("submit_evidence", S.EVIDENCE): S.EXPERT_REVIEW,
    ("reopen_evidence", S.EXPERT_REVIEW): S.EVIDENCE, ("start_visit", S.EXPERT_REVIEW): S.ON_SITE,
    ("send_to_committee", S.ON_SITE): S.COMMITTEE, ("give_initial_result", S.COMMITTEE): S.INITIAL_RESULT,
    ("committee_send_back", S.COMMITTEE): S.ON_SITE, ("appeal", S.INITIAL_RESULT): S.APPEALED,
    ("answer_appeal", S.APPEALED): S.PUBLIC_NOTICE, ("close_appeal_window", S.INITIAL_RESULT): S.PUBLIC_NOTICE,
    ("conclude_unrated", S.INITIAL_RESULT): S.UNRATED, ("conclude_unrated", S.APPEALED): S.UNRATED,
    ("uphold_objection", S.PUBLIC_NOTICE): S.COMMITTEE, ("publish", S.PUBLIC_NOTICE): S.PUBLISHED,
    ("downgrade", S.PUBLISHED): S.PUBLISHED, ("extend", S.PUBLISHED): S.PUBLISHED,
    ("revoke", S.PUBLISHED): S.REVOKED, ("expire", S.PUBLISHED): S.EXPIRED,
}
TABLES = {"credit": CREDIT, "capability": CAPABILITY}


def _evaluation(kind, state) -> Evaluation:
    h.credit()
    programme = Programme.objects.get(kind=kind)
    evaluation = Evaluation.objects.create(programme=programme, member=UnitMemberFactory(), agreed_at=NOW())
    Evaluation.objects.filter(pk=evaluation.pk).update(state=state)
    return Evaluation.objects.select_related("programme").get(pk=evaluation.pk)


def test_every_programme_is_registered_and_its_graph_is_the_regulations():
    assert set(registered()) == {"credit", "capability"} == set(TABLES)
    for kind, table in TABLES.items():
        graph = rules_for(kind).graph
        assert {(move, source): target for move, moves in graph.items() for source, target in moves.items()} == table


@pytest.mark.parametrize(("kind", "move", "source"), [(k, m, s) for k, t in TABLES.items() for (m, s) in t])
def test_allowed_transition(kind, move, source):
    evaluation = _evaluation(kind, source)
    assert can_proceed(getattr(evaluation, move))
    MOVES[move](evaluation)
    evaluation.save()
    assert Evaluation.objects.get(pk=evaluation.pk).state == TABLES[kind][(move, source)]


@pytest.mark.parametrize(("kind", "move", "source"), [(k, m, s) for k, t in TABLES.items() for m in MOVES
                                                      for s in S.values if (m, s) not in t])
def test_forbidden_transition(kind, move, source):
    evaluation = _evaluation(kind, source)
    assert not can_proceed(getattr(evaluation, move))
    with pytest.raises(TransitionNotAllowed):
        MOVES[move](evaluation)


def test_evaluation_state_cannot_be_assigned_directly():
    evaluation = _evaluation("credit", S.DRAFT)
    with pytest.raises(AttributeError):
        evaluation.state = S.PUBLISHED


def test_a_stale_copy_cannot_save_over_a_decision():
    evaluation = _evaluation("credit", S.SUBMITTED)
    stale = Evaluation.objects.get(pk=evaluation.pk)
    evaluation.accept(fee=Decimal(1))
    evaluation.save()
    stale.reject(reason="迟到")
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        stale.save()


def test_a_second_extension_is_forbidden_by_the_transition_itself():
    evaluation = _evaluation("credit", S.PUBLISHED)
    evaluation.extend(valid_until=dt.date(2030, 1, 1), reason="第一次")
    evaluation.save()
    assert not can_proceed(evaluation.extend)


def test_each_programme_declares_its_clocks_steps_committee_and_certificates():
    credit, capability = rules_for("credit"), rules_for("capability")
    assert credit.clocks["report"].working_days == 30 and credit.clocks["accept"].working_days == 10
    assert capability.clocks["provincial"].working_days == 15 and "report" not in capability.clocks
    assert credit.committee.min_present == 5 and credit.committee.odd and credit.committee.max_meetings == 2
    assert (credit.certificate_prefix, capability.certificate_prefix) == ("XY", "NL")
    for rules in (credit, capability):
        # Every state of the graph shows as a step, so the institution always sees where it is.
        shown = set().union(*(step.states for step in rules.steps))
        assert rules.states() <= shown


# --- nothing else lists states ------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
WATCHED = ["evaluation/views.py", "evaluation/admin.py", "evaluation/deadlines.py", "experts/workbench.py",
           "experts/pool/views.py", "experts/review/scoring.py", "experts/pool/admin.py", "experts/pool/evaluators.py", "experts/review/admin.py",
           "experts/review/services.py", "experts/review/views.py", "experts/review/panels.py"]
STATE_NAMES = "|".join(sorted(S.names))
HAND_LISTED = re.compile(rf"(?<!Assignment\.)\b(?:S|State)\.(?:{STATE_NAMES})\b|[\"'](?:{'|'.join(S.values)})[\"']")


@pytest.mark.parametrize("path", WATCHED)
def test_no_view_admin_or_scanner_lists_evaluation_states_by_hand(path):
    source = (ROOT / path).read_text()
    found = [line.strip() for line in source.splitlines() if HAND_LISTED.search(line)]
    assert not found, f"{path} decides by state names instead of can_proceed / the programme rules: {found}"


def test_the_capability_programme_is_open_with_its_signed_form_to_upload():
    programme = Programme.objects.get(kind="capability")
    assert programme.rules is rules_for("capability") and programme.is_open
    assert [d.name for d in programme.documents.all()] == ["能力评价申报表（法定代表人签字并加盖公章的扫描件）"]
    assert len(programme.declaration_list()) == 2
    assert set(programme.grade_bands.values_list("grade", flat=True)) == {"5星", "4星", "3星", "不予评定"}


# --- what the capability programme decides differently -------------------------------------

def _credit_result(member, grade, valid_until=None):
    h.credit()
    published = Evaluation.objects.create(programme=Programme.objects.get(kind="credit"), member=member,
                                          agreed_at=NOW(), grade=grade, published_at=NOW(),
                                          valid_until=valid_until or timezone.localdate() + dt.timedelta(days=365))
    Evaluation.objects.filter(pk=published.pk).update(state=S.PUBLISHED)


def test_capability_eligibility_names_each_unmet_condition():
    rules, today = rules_for("capability"), timezone.localdate()
    young = UnitMemberFactory(state="active")
    young.unit.opened_on = today - dt.timedelta(days=365 * 2)
    young.unit.save()
    unmet = rules.unmet_conditions(young, today)
    assert any("开业满 3 年" in text for text in unmet) and any("请先申请社会信用评价" in text for text in unmet)
    ready = UnitMemberFactory(state="active")
    ready.unit.opened_on = today - dt.timedelta(days=365 * 5)
    ready.unit.save()
    _credit_result(ready, "A+")
    assert any("当前：A+" in text for text in rules.unmet_conditions(ready, today))
    _credit_result(ready, "AA")
    assert rules.unmet_conditions(ready, today) == []
    assert rules.unmet_conditions(UnitMemberFactory(state="expired"), today)


@pytest.mark.parametrize(("credit_grade", "score", "stars"), [
    ("AAA", "95", "5星"), ("AAA-", "95", "4星"), ("AA", "95", "4星"), ("AA", "85", "4星"), ("AA", "75", "3星"),
    ("AA", "69.99", "不予评定"), ("A", "95", "不予评定"), ("AAA", "90", "5星"), ("AAA", "89.99", "4星"),
])
def test_the_star_level_is_capped_by_the_credit_grade(credit_grade, score, stars):
    member = UnitMemberFactory(state="active")
    _credit_result(member, credit_grade)
    evaluation = _evaluation("capability", S.COMMITTEE)
    evaluation.member = member
    assert rules_for("capability").result_for(evaluation, Decimal(score)) == stars


@pytest.mark.parametrize(("kind", "present", "size", "refused"), [
    ("credit", 4, 0, True), ("credit", 5, 0, False), ("credit", 6, 0, True), ("credit", 7, 0, False),
    ("capability", 5, 11, True), ("capability", 6, 11, False), ("capability", 5, 10, True), ("capability", 6, 10, False),
])
def test_quorum_counts_present_eligible_members_by_each_programmes_rule(kind, present, size, refused):
    assert bool(rules_for(kind).committee.quorum_refusal(present=present, committee_size=size)) == refused


@pytest.mark.parametrize(("ballots", "decision"), [
    ({"approve": 3, "send_back": 2}, "approve"),
    ({"approve": 2, "send_back": 2}, "send_back"),  # a tie sends the case back
    ({"4星": 3, "5星": 3}, "send_back"),
    ({"3星": 2, "4星": 2, "5星": 1}, "send_back"),  # no option has more than half
    ({"5星": 4, "4星": 3}, "5星"),
])
def test_a_decision_needs_more_than_half_of_the_ballots_cast(ballots, decision):
    assert rules_for("capability").committee.decision(ballots) == decision


@pytest.mark.parametrize(("kind", "filling_in"), [("credit", "提交资料"), ("capability", "提交申报表")])
def test_a_draft_has_agreed_already_and_is_on_the_step_of_filling_in(kind, filling_in):
    rules = rules_for(kind)
    before = dict(rules.progress_before_start())
    assert before["同意管理办法"] == "current" and before[filling_in] == "todo"
    draft = dict(rules.progress("draft"))
    assert draft["同意管理办法"] == "done" and draft[filling_in] == "current"
    assert list(draft.values()).count("current") == 1
