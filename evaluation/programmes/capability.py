"""服务能力评价 (seeds 000 二(二), 004): everything the star programme does differently.

An active unit member operating ≥3 years with a valid credit grade of AA or above applies with
the online form (annex 2-2); the office accepts within 10 working days (optionally after a
provincial association's 15); the institution uploads evidence per item of the standard; an
expert group drawn from the pool visits and scores every item and signs its report; the
committee votes the star level, never above what the credit grade allows (5 stars only with
AAA, 3-4 with AA or above, 004 §3); one appeal within 5 working days, answered within 10;
7 working days of public notice; publication with certificate and plaque; 3 years' validity.
"""
import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from .base import (
    AFTER_PUBLICATION,
    APPEALED,
    APPLICATION,
    CLOSE_APPEAL_WINDOW,
    COMMITTEE,
    DRAFT,
    END_NOTICE,
    EVIDENCE,
    EXPERT_REVIEW,
    EXPIRED,
    INITIAL_RESULT,
    ON_SITE,
    PUBLIC_NOTICE,
    PUBLISHED,
    REJECTED,
    RETURNED,
    REVOKED,
    SUBMITTED,
    UNRATED,
    Clock,
    CommitteeRule,
    ProgrammeRules,
    Step,
)

GRAPH = {
    **APPLICATION,  # submit (from draft or returned), return_for_correction, reject
    "accept": {SUBMITTED: EVIDENCE},
    "submit_evidence": {EVIDENCE: EXPERT_REVIEW},
    "reopen_evidence": {EXPERT_REVIEW: EVIDENCE},
    "start_visit": {EXPERT_REVIEW: ON_SITE},
    "send_to_committee": {ON_SITE: COMMITTEE},
    "give_initial_result": {COMMITTEE: INITIAL_RESULT},
    "committee_send_back": {COMMITTEE: ON_SITE},
    "appeal": {INITIAL_RESULT: APPEALED},
    "answer_appeal": {APPEALED: PUBLIC_NOTICE},
    "close_appeal_window": {INITIAL_RESULT: PUBLIC_NOTICE},
    # 不予评定 is not publicly noticed: once the appeal is answered or its window closes, it ends.
    "conclude_unrated": {INITIAL_RESULT: UNRATED, APPEALED: UNRATED},
    "uphold_objection": {PUBLIC_NOTICE: COMMITTEE},
    **AFTER_PUBLICATION,  # publish (after the notice), downgrade, extend, revoke, expire
}

CLOCKS = {
    "provincial": Clock(15, "office"),
    "accept": Clock(10, "office"),
    "appeal_window": Clock(5, "member", CLOSE_APPEAL_WINDOW),
    "appeal_answer": Clock(10, "office"),
    "notice": Clock(7, "public", END_NOTICE),
}

STEPS = (
    Step("同意管理办法", frozenset()),  # before the evaluation exists: agreeing creates it
    Step("提交申报表", frozenset({DRAFT, SUBMITTED, RETURNED, REJECTED})),
    Step("对照标准上传材料", frozenset({EVIDENCE})),
    Step("专家评审", frozenset({EXPERT_REVIEW, ON_SITE})),
    Step("评价委员会", frozenset({COMMITTEE})),
    Step("初评与复议", frozenset({INITIAL_RESULT, APPEALED})),
    Step("公示", frozenset({PUBLIC_NOTICE})),
    Step("结果发布", frozenset({PUBLISHED, EXPIRED, REVOKED, UNRATED})),
)

OPERATING_YEARS = 3
# The credit grade that allows each star level (004 §3): 5 stars only with AAA itself,
# 3 or 4 stars with AA or above (AA, AA+, AAA-, AAA).
FIVE_STAR_GRADE, MIN_GRADE = "AAA", "AA"
NOT_RATED = "不予评定"
STAR_NAMES = {"5星": ("五星级", "标杆单位"), "4星": ("四星级", "示范单位"), "3星": ("三星级", "规范单位")}
STAR_LABELS = {"5星": "★★★★★ 五星级", "4星": "★★★★ 四星级", "3星": "★★★ 三星级", NOT_RATED: "不予评定（未达三星）"}


class CapabilityRules(ProgrammeRules):
    def __init__(self):
        super().__init__(
            kind="capability", graph=GRAPH, clocks=CLOCKS, steps=STEPS,
            committee=CommitteeRule(min_present=1, odd=False, max_meetings=2, majority_of_committee=True,
                                    description="评价委员会：出席且无利益冲突的委员须超过委员会总人数的一半（办法未规定，本系统规则）。"),
            certificate_prefix="NL", certificate_template="evaluation/star_certificate_pdf.html",
            plaque_template="evaluation/star_plaque_pdf.html",
            documents_states=frozenset({DRAFT, RETURNED}), scoring_states=frozenset({ON_SITE}),
            assignable_states=frozenset({EXPERT_REVIEW, ON_SITE}),
            application_form=True, acceptance_notice=True, send_back_label="退回专家组重新评价",
        )

    def unmet_conditions(self, member, today: dt.date) -> list[str]:
        from membership.models import Member

        if not member.is_unit or member.state != Member.State.ACTIVE:
            return ["仅会员资格有效的单位会员可以申请（管理办法第十七条），请先入会或续缴会费。"]
        unmet = []
        opened = member.unit.opened_on
        if opened + relativedelta(years=OPERATING_YEARS) > today:
            since = opened + relativedelta(years=OPERATING_YEARS)
            unmet.append(f"机构开业满 {OPERATING_YEARS} 年方可申请（开业日期 {opened:%Y年%m月%d日}，"
                         f"{since:%Y年%m月%d日} 起可申请）。")
        result = valid_credit_result(member, today)
        if result is None or not grade_at_least(result, MIN_GRADE):
            unmet.append("须持有有效的社会信用评价 AA 级及以上结果（当前：" + (result.grade if result else "无有效结果") +
                         "），请先申请社会信用评价。")
        return unmet

    def result_for(self, evaluation, score: Decimal) -> str:
        """The star level the score earns by the programme's thresholds (its 评价等级 bands),
        capped by the credit grade the institution holds today; 不予评定 below 3 stars."""
        earned = evaluation.programme.grade_for(score)
        return min(earned, star_cap(evaluation.member, timezone.localdate()), key=_stars)

    def committee_options(self, evaluation) -> list[tuple[str, str]]:
        """The star levels the credit grade allows (004 §3), highest first, and 不予评定."""
        cap = _stars(star_cap(evaluation.member, timezone.localdate()))
        return [(level, STAR_LABELS[level]) for level in ("5星", "4星", "3星") if _stars(level) <= cap] + [
            (NOT_RATED, STAR_LABELS[NOT_RATED])]

    def committee_suggestion(self, evaluation) -> str:
        """The level the group's total earns by the thresholds, within the credit cap."""
        return self.result_for(evaluation, evaluation.score) if evaluation.score is not None else ""

    def passes(self, evaluation) -> bool:
        return evaluation.grade != NOT_RATED

    def result_label(self, grade: str) -> str:
        return STAR_LABELS.get(grade, grade)

    def certificate_context(self, evaluation) -> dict:
        """The stars and their name (§3) for the certificate and the plaque's blank (annex 2-1-3)."""
        name = evaluation.member.name
        kind = next((k for k in ("门诊部", "诊所") if k in name), "医院")
        level, meaning = STAR_NAMES.get(evaluation.grade, ("", ""))
        return {"stars": stars(evaluation.grade), "level": level, "meaning": meaning, "kind": kind}


def valid_credit_result(member, today: dt.date):
    """The member's credit evaluation whose result is valid today (published and within its
    validity), or None."""
    return (member.evaluations.filter(programme__kind="credit", state=PUBLISHED, valid_until__gte=today)
            .select_related("programme").order_by("-published_at").first())


def grade_at_least(result, floor: str) -> bool:
    """Whether a credit result's grade is ``floor`` or better by its programme's bands."""
    bands = dict(result.programme.grade_bands.values_list("grade", "min_score"))
    return result.grade in bands and bands[result.grade] >= bands.get(floor, Decimal(101))


def star_cap(member, today: dt.date) -> str:
    """The highest star level the credit grade allows: 5星 with AAA, 4星 with AA or above."""
    result = valid_credit_result(member, today)
    if result is not None and result.grade == FIVE_STAR_GRADE:
        return "5星"
    if result is not None and grade_at_least(result, MIN_GRADE):
        return "4星"
    return NOT_RATED


def stars(level: str) -> str:
    """★★★ for 3星 (the plaque's and the registry's mark); empty for anything else."""
    return "★" * _stars(level)


def _stars(level: str) -> int:
    return int(level[0]) if level[:1].isdigit() else 0
