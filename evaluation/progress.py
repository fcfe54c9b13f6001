"""The progress steps an institution sees on every evaluation page (and on its payment pages)."""
from .models import Evaluation

S = Evaluation.State
STEPS = [
    ("同意管理办法", {S.DRAFT}),
    ("提交资料", {S.SUBMITTED, S.RETURNED, S.REJECTED}),
    ("缴费", {S.AWAITING_PAYMENT}),
    ("自评问卷", {S.SELF_ASSESSMENT}),
    ("评价", {S.UNDER_REVIEW, S.SUPPLEMENT}),
    ("初评与复议", {S.INITIAL_RESULT, S.APPEALED}),
    ("审议与公示", {S.COMMITTEE, S.PUBLIC_NOTICE}),
    ("结果发布", {S.PUBLISHED, S.EXPIRED, S.REVOKED}),
]


def progress(state: str):
    current = next(i for i, (_, states) in enumerate(STEPS) if state in states)
    return [(label, "current" if i == current else "done" if i < current else "todo")
            for i, (label, _) in enumerate(STEPS)]


