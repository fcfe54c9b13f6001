"""The workbench: an evaluator's assignments, the institution's materials, and scoring."""
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from evaluation import services as evaluation_services
from evaluation.exceptions import EvaluationError
from evaluation.models import Answer, Assignment
from evaluation.selectors import assignments_of, items_of


@login_required
def workbench(request):
    """Open tasks first, each with the due date that binds it now; finished ones apart."""
    if not hasattr(request.user, "evaluator"):
        raise Http404
    assignments = list(assignments_of(user=request.user))
    open_tasks = [a for a in assignments if a.state == Assignment.State.ASSIGNED]
    for task in open_tasks:
        task.clock = task.evaluation.current_clock()
    open_tasks.sort(key=lambda a: (a.clock is None, a.clock.due_on if a.clock else None, a.pk))
    done = [a for a in assignments if a.state != Assignment.State.ASSIGNED]
    return render(request, "experts/workbench.html", {"open_tasks": open_tasks, "done": done,
                                                      "today": timezone.localdate()})


@login_required
def assignment(request, pk):
    assignment = assignments_of(user=request.user).filter(pk=pk).first()
    if assignment is None:  # not theirs: as if it did not exist
        raise Http404
    evaluation = assignment.evaluation
    questions = list(items_of(evaluation.programme))
    if request.method == "POST":
        scores = {}
        for question in questions:
            raw = request.POST.get(f"score{question.pk}", "").strip()
            if raw:
                try:
                    value = Decimal(raw[:20])
                except InvalidOperation:
                    value = None
                if value is None or not value.is_finite():
                    messages.error(request, f"“{question.text}”的评分不是数字。")
                    return redirect("experts:assignment", pk=pk)
                scores[question.pk] = (value, request.POST.get(f"comment{question.pk}", "")[:300])
        action = request.POST.get("action")
        try:
            # 提交评分 saves the draft and asks for confirmation; only 确认提交 submits.
            evaluation_services.assignment_save_scores(
                assignment_id=assignment.pk, scores=scores, comment=request.POST.get("comment", ""),
                submit=action == "confirm", by=request.user)
        except EvaluationError as exc:
            messages.error(request, str(exc))
        else:
            if action == "submit":
                return redirect(f"{request.path}?confirm=1")
            messages.success(request, "评分已提交。" if action == "confirm" else "评分草稿已保存。")
        return redirect("experts:assignment", pk=pk)
    answers = {a.criterion_id: a.option for a in Answer.objects.filter(evaluation=evaluation).select_related("option")}
    saved = {s.criterion_id: s for s in assignment.scores.all()}
    rows = [(q, answers.get(q.pk), saved.get(q.pk)) for q in questions]
    editable = assignment.state == Assignment.State.ASSIGNED and evaluation.scoring_open
    if assignment.state == Assignment.State.SUBMITTED:
        read_only = f"您已于 {timezone.localtime(assignment.submitted_at):%Y年%m月%d日 %H:%M} 提交评分，提交后不能再修改。"
    elif not editable:
        read_only = f"该评价当前处于“{evaluation.get_state_display()}”阶段，暂不能评分；进入评价阶段后可继续。"
    else:
        read_only = ""
    confirming = editable and request.GET.get("confirm") == "1"
    return render(request, "experts/assignment.html", {
        "assignment": assignment, "evaluation": evaluation, "rows": rows,
        "documents": evaluation.documents.filter(superseded=False).select_related("document"),
        "editable": editable, "read_only": read_only, "confirming": confirming,
        "scored": sum(1 for _, _, s in rows if s is not None), "draft_total": _draft_total(rows),
    })


def _draft_total(rows) -> str:
    """The draft's score out of 100, as submitting would fix it."""
    maximum = sum((q.max_points or Decimal(0)) for q, _, _ in rows)
    points = sum((s.score for _, _, s in rows if s is not None), Decimal(0))
    return f"{(points * 100 / maximum):.2f}" if maximum else "—"
