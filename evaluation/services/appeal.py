"""The appeal: once, within the window; the office answers (the report may be revised once)."""
from django.utils import timezone

from core.uploads import original_name

from ..exceptions import AppealRefused
from ..models import Appeal, Evaluation
from ..selectors import appeal_window_closes
from ._common import K, evaluation_move, meet_clock, notice_start_if_due, require, start_clock, tell_member, tell_office
from .publication import keep_superseded


def evaluation_appeal(*, evaluation_id: int, reasons: str, attachment=None, by) -> Appeal:
    """Appeal the initial result: once, within 5 working days; the office answers in 10."""
    require(reasons, "请填写复议理由。")
    recorded = {}

    def appeal(evaluation):
        if Appeal.objects.filter(evaluation=evaluation).exists():
            raise AppealRefused("复议仅限一次，您已提出过复议申请。")
        closes = appeal_window_closes(evaluation)
        if closes is None or timezone.localdate() > closes or not evaluation.rules.allows("appeal", evaluation.state):
            when = f"{closes:%Y年%m月%d日}" if closes else "—"
            raise AppealRefused(f"复议申请期已于 {when} 结束，不再受理复议申请。")
        record = Appeal(evaluation=evaluation, reasons=reasons)
        if attachment:
            record.attachment_name = original_name(attachment)
            record.attachment.save(attachment.name, attachment, save=False)
        record.save()
        recorded["appeal"] = record
        evaluation.appeal(by=by, description=reasons[:200])

    evaluation_move(evaluation_id, appeal, then=lambda e: (
        meet_clock(e, K.APPEAL_WINDOW), start_clock(e, K.APPEAL_ANSWER), tell_office(e, "evaluation_appealed")))
    return recorded["appeal"]


def evaluation_answer_appeal(*, evaluation_id: int, answer: str, revised_report=None, by) -> Evaluation:
    """Answer the appeal; the report may be revised once (the first one is kept). The result
    moves on as the programme says (credit: to the committee; capability: to public notice)."""
    require(answer, "请填写复议答复。")

    def answer_it(evaluation):
        if revised_report is not None:
            if evaluation.report_revised:
                raise AppealRefused("评价报告仅可修订一次。")
            keep_superseded(evaluation, "report", "复议后修订评价报告", by)
            evaluation.report.save(f"report-{evaluation.pk}-revised.pdf", revised_report, save=False)
            evaluation.report_revised = True
        appeal = Appeal.objects.select_for_update().get(evaluation=evaluation)
        appeal.answer, appeal.answered_at, appeal.answered_by = answer, timezone.now(), by
        appeal.save(update_fields=["answer", "answered_at", "answered_by"])
        if evaluation.rules.passes(evaluation):
            evaluation.answer_appeal(by=by, description=answer[:200])
        else:
            evaluation.conclude_unrated(by=by, description=f"复议答复后维持{evaluation.grade}：{answer[:150]}")

    return evaluation_move(evaluation_id, answer_it, then=lambda e: (
        meet_clock(e, K.APPEAL_ANSWER), tell_member(e, "evaluation_appeal_answered", answer=answer),
        notice_start_if_due(e)))


def evaluation_close_appeal_window(*, evaluation_id: int) -> Evaluation:
    """The window ran out without an appeal (the scanner): the result moves on."""
    def close(evaluation):
        closes = appeal_window_closes(evaluation)
        description = f"复议申请期于 {closes:%Y-%m-%d} 结束，未提出复议"
        if evaluation.rules.passes(evaluation):
            evaluation.close_appeal_window(description=description)
        else:
            evaluation.conclude_unrated(description=f"{description}，{evaluation.grade}")

    return evaluation_move(evaluation_id, close, then=notice_start_if_due)
