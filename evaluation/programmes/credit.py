"""社会信用评价 (seeds 000 二(一), 001): everything the credit programme does differently.

The institution agrees, uploads its four forms, is accepted within 10 working days, pays the
fee, fills in the self-assessment questionnaire; third-party credit evaluators score each item
and the office gives the initial result (report due 30 working days after review starts); one
appeal within 5 working days, answered within 10; the leading group's meeting (≥5 present,
an odd number, at most two meetings) approves or sends back; 7 working days of public notice;
publication with certificate and plaque; the final report within 20 working days.
"""
import datetime as dt
from decimal import Decimal

from .base import (
    AFTER_PUBLICATION,
    APPEALED,
    APPLICATION,
    AWAITING_PAYMENT,
    CLOSE_APPEAL_WINDOW,
    COMMITTEE,
    DRAFT,
    END_NOTICE,
    EXPIRED,
    INITIAL_RESULT,
    PUBLIC_NOTICE,
    PUBLISHED,
    REJECTED,
    RETURNED,
    REVOKED,
    SELF_ASSESSMENT,
    SUBMITTED,
    SUPPLEMENT,
    UNDER_REVIEW,
    Clock,
    CommitteeRule,
    ProgrammeRules,
    Step,
)

GRAPH = {
    **APPLICATION,  # submit (from draft or returned), return_for_correction, reject
    "accept": {SUBMITTED: AWAITING_PAYMENT},
    "fee_paid": {AWAITING_PAYMENT: SELF_ASSESSMENT},
    "submit_self_assessment": {SELF_ASSESSMENT: UNDER_REVIEW},
    "request_supplement": {UNDER_REVIEW: SUPPLEMENT},
    "resubmit_supplement": {SUPPLEMENT: UNDER_REVIEW},
    "give_initial_result": {UNDER_REVIEW: INITIAL_RESULT},
    "appeal": {INITIAL_RESULT: APPEALED},
    "answer_appeal": {APPEALED: COMMITTEE},
    "close_appeal_window": {INITIAL_RESULT: COMMITTEE},
    "committee_approve": {COMMITTEE: PUBLIC_NOTICE},
    "committee_send_back": {COMMITTEE: UNDER_REVIEW},
    "uphold_objection": {PUBLIC_NOTICE: COMMITTEE},
    **AFTER_PUBLICATION,  # publish (after the notice), downgrade, extend, revoke, expire
}

CLOCKS = {
    "accept": Clock(10, "office"),
    "report": Clock(30, "office"),
    "appeal_window": Clock(5, "member", CLOSE_APPEAL_WINDOW),
    "appeal_answer": Clock(10, "office"),
    "notice": Clock(7, "public", END_NOTICE),
    "final_report": Clock(20, "office"),
}

STEPS = (
    Step("同意管理办法", frozenset()),  # before the evaluation exists: agreeing creates it
    Step("提交资料", frozenset({DRAFT, SUBMITTED, RETURNED, REJECTED})),
    Step("缴费", frozenset({AWAITING_PAYMENT})),
    Step("自评问卷", frozenset({SELF_ASSESSMENT})),
    Step("评价", frozenset({UNDER_REVIEW, SUPPLEMENT})),
    Step("初评与复议", frozenset({INITIAL_RESULT, APPEALED})),
    Step("审议与公示", frozenset({COMMITTEE, PUBLIC_NOTICE})),
    Step("结果发布", frozenset({PUBLISHED, EXPIRED, REVOKED})),
)


class CreditRules(ProgrammeRules):
    def __init__(self):
        super().__init__(
            kind="credit", graph=GRAPH, clocks=CLOCKS, steps=STEPS,
            committee=CommitteeRule(min_present=5, odd=True, max_meetings=2,
                                    description="评价领导小组会议：出席不少于 5 人且为单数；每个参评机构至多召开两次（001 第九条、第十八条）。"),
            certificate_prefix="XY", certificate_template="evaluation/certificate_pdf.html",
            plaque_template="evaluation/plaque_pdf.html",
            documents_states=frozenset({DRAFT, RETURNED, SUPPLEMENT}), scoring_states=frozenset({UNDER_REVIEW}),
            assignable_states=frozenset({SELF_ASSESSMENT, UNDER_REVIEW, SUPPLEMENT}),
            charges_fee=True,
        )

    def unmet_conditions(self, member, today: dt.date) -> list[str]:
        from membership.models import Member

        if not member.is_unit or member.state != Member.State.ACTIVE:
            return ["仅会员资格有效的单位会员可以申请（管理办法第十七条）。"]
        return []

    def result_for(self, evaluation, score: Decimal) -> str:
        """The grade band the score falls in (lower-inclusive; 100 is AAA)."""
        return evaluation.programme.grade_for(score)

    def committee_options(self, evaluation) -> list[tuple[str, str]]:
        """The leading group approves the grade as it stands after the appeal, or sends it back."""
        return [(APPROVE, f"同意评价结果（{evaluation.grade}），进入公示")]

    def committee_suggestion(self, evaluation) -> str:
        return APPROVE


APPROVE = "approve"
