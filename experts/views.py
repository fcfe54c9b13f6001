"""The workbench: an evaluator's assignments, the institution's materials, and scoring."""
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.http import Http404
from django.shortcuts import redirect, render

from evaluation import services as evaluation_services
from evaluation.exceptions import EvaluationError
from evaluation.models import Answer, Assignment, Question
from evaluation.selectors import assignments_of


@login_required
def workbench(request):
    if not hasattr(request.user, "evaluator"):
        raise Http404
    return render(request, "experts/workbench.html", {"assignments": assignments_of(user=request.user)})


@login_required
def assignment(request, pk):
    assignment = assignments_of(user=request.user).filter(pk=pk).first()
    if assignment is None:  # not theirs: as if it did not exist
        raise Http404
    evaluation = assignment.evaluation
    questions = list(Question.objects.filter(section__programme=evaluation.programme)
                     .select_related("section").annotate(max_points=Max("options__points")))
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
        try:
            evaluation_services.assignment_save_scores(
                assignment_id=assignment.pk, scores=scores, comment=request.POST.get("comment", ""),
                submit=request.POST.get("action") == "submit", by=request.user)
        except EvaluationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "评分已提交。" if request.POST.get("action") == "submit" else "评分草稿已保存。")
        return redirect("experts:assignment", pk=pk)
    answers = {a.question_id: a.option for a in Answer.objects.filter(evaluation=evaluation).select_related("option")}
    saved = {s.question_id: s for s in assignment.scores.all()}
    rows = [(q, answers.get(q.pk), saved.get(q.pk)) for q in questions]
    return render(request, "experts/assignment.html", {
        "assignment": assignment, "evaluation": evaluation, "rows": rows,
        "documents": evaluation.documents.filter(superseded=False).select_related("document"),
        "editable": assignment.state == Assignment.State.ASSIGNED and evaluation.state == "under_review",
    })
