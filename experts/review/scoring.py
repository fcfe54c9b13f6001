"""逐项评分: the scoring page of an assignment, for credit evaluators and on-site review experts
alike: each item with what the institution gave for it, a score and a comment, 保存草稿 and
提交评分 then 确认提交; peers' scores appear only after one's own are submitted."""
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from core.fragments import cached_value, kept_page
from evaluation import services as evaluation_services
from evaluation.exceptions import EvaluationError
from evaluation.models import Assignment
from evaluation.selectors import assignments_of, scoring_sheet
from experts.review.models import Invitation


def _scores_it(request, pk) -> bool:
    return assignments_of(user=request.user).filter(pk=pk, evaluator__is_active=True).exists()


@login_required
@kept_page(_scores_it)
def assignment(request, pk):
    """逐项评分 (credit evaluators and capability experts alike): each item with what the
    institution gave for it (its self-assessment answer, or its evidence with previews), a
    score within the item's maximum and a comment; 保存草稿 and resume, 提交评分 then 确认提交.
    A wrong entry is shown at its item with everything typed kept; peers' scores appear only
    after one's own are submitted."""
    def own():
        return assignments_of(user=request.user).filter(pk=pk).first()
    if request.method != "POST":  # the kept assignment (core.fragments); scores are saved from a fresh one
        assignment = cached_value("assignment-of", f"{request.user.pk}:{pk}", own)
        if assignment is None:
            raise Http404
        return render(request, "experts/assignment.html", {
            "assignment": assignment, "evaluation": assignment.evaluation,
            "fragment_context": lambda: _scoring_context(request, assignment, scoring_sheet(assignment), {})})
    assignment = own()
    if assignment is None:  # not theirs: as if it did not exist
        raise Http404
    evaluation = assignment.evaluation
    sheet = scoring_sheet(assignment)
    errors: dict[int, str] = {}
    if request.method == "POST":
        scores, errors = _posted_scores(request, sheet)
        action = request.POST.get("action")
        if not errors:
            try:
                # 提交评分 saves the draft and asks for confirmation; only 确认提交 submits.
                evaluation_services.assignment_save_scores(
                    assignment_id=assignment.pk, scores=scores, comment=request.POST.get("comment", "")[:5000],
                    submit=action == "confirm", by=request.user)
            except EvaluationError as exc:
                messages.error(request, str(exc))
                return redirect("experts:assignment", pk=pk)
            if action == "submit":
                return redirect(f"{request.path}?confirm=1")
            messages.success(request, "评分已提交。" if action == "confirm" else "评分草稿已保存。")
            return redirect("experts:assignment", pk=pk)
        messages.error(request, f"有 {len(errors)} 项评分需要更正（已在该项下方标出），其余内容均已保留，请更正后再保存。")
        for row in sheet:  # show what was typed, not what was saved
            row["typed"] = (request.POST.get(f"score{row['item'].pk}", "")[:20],
                            request.POST.get(f"comment{row['item'].pk}", "")[:300])
            row["error"] = errors.get(row["item"].pk)
    return render(request, "experts/assignment.html", {
        "assignment": assignment, "evaluation": evaluation, **_scoring_context(request, assignment, sheet, errors),
    }, status=422 if errors else 200)


def _scoring_context(request, assignment, sheet, errors) -> dict:
    evaluation = assignment.evaluation
    editable = assignment.state == Assignment.State.ASSIGNED and evaluation.scoring_open
    if assignment.state == Assignment.State.SUBMITTED:
        read_only = f"您已于 {timezone.localtime(assignment.submitted_at):%Y年%m月%d日 %H:%M} 提交评分，提交后不能再修改。"
    elif not editable:
        read_only = f"该评价当前处于“{evaluation.get_state_display()}”阶段，暂不能评分；进入评价阶段后可继续。"
    else:
        read_only = ""
    return {
        "sheet": sheet, "documents": evaluation.documents.filter(superseded=False).select_related("document"),
        "editable": editable, "read_only": read_only,
        "confirming": editable and request.GET.get("confirm") == "1" and not errors,
        "comment": request.POST.get("comment", "") if errors else assignment.comment,
        "scored": sum(1 for row in sheet if row["score"] is not None), "draft_total": _draft_total(sheet),
        "unscored": [row for row in sheet if row["score"] is None],
        "visit": _visit_of(request.user, evaluation),
    }


def _posted_scores(request, sheet) -> tuple[dict, dict]:
    """The posted scores as numbers, and a message for each item whose entry is not a number
    within 0 and the item's maximum (an empty entry is simply not scored yet)."""
    scores, errors = {}, {}
    for row in sheet:
        item = row["item"]
        raw = request.POST.get(f"score{item.pk}", "").strip()
        if not raw:
            continue
        try:
            value = Decimal(raw[:20])
        except InvalidOperation:
            value = None
        top = item.max_points or Decimal(0)
        if value is None or not value.is_finite():
            errors[item.pk] = "请填写数字。"
        elif not Decimal(0) <= value <= top:
            errors[item.pk] = f"评分应在 0 至 {top.normalize():f} 分之间。"
        else:
            scores[item.pk] = (value, request.POST.get(f"comment{item.pk}", "")[:300])
    return scores, errors


def _visit_of(user, evaluation):
    """The on-site review the user is seated on for this evaluation (capability), if any."""
    seat = (Invitation.objects.filter(expert__user=user, state=Invitation.State.CONFIRMED, visit__evaluation=evaluation)
            .select_related("visit").first())
    return seat.visit if seat else None


def _draft_total(sheet) -> str:
    """The draft's score out of 100, as submitting would fix it."""
    maximum = sum((row["item"].max_points or Decimal(0)) for row in sheet)
    points = sum((row["score"].score for row in sheet if row["score"] is not None), Decimal(0))
    return f"{(points * 100 / maximum):.2f}" if maximum else "—"
