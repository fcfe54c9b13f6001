"""The workbench: an evaluator's assignments, the institution's materials, and scoring."""
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django_fsm import can_proceed

from core.ratelimits import form_over_limit
from core.selectors import inbox_messages
from evaluation import services as evaluation_services
from evaluation.exceptions import EvaluationError
from evaluation.models import Answer, Assignment
from evaluation.selectors import assignments_of, items_of

from . import pool, selectors
from .exceptions import ExpertsError
from .forms import ConflictForm, ExpertApplicationForm

# An anonymous application creates an account and uploads a file: a few per address and hour.
APPLY_RATE = "10/h"


def apply(request):
    """Apply to the expert pool (004 §9), from the home page's 专家工作台 entrance. A visitor
    gets an account; a signed-in person applies with theirs. A returned, expiring or expired
    expert applies again here (reappointment keeps every earlier term)."""
    expert = getattr(request.user, "expert", None) if request.user.is_authenticated else None
    if expert is not None and not can_proceed(expert.resubmit):
        return redirect("experts:workbench")
    form = ExpertApplicationForm(request.POST or None, request.FILES or None, instance=expert, user=request.user)
    anonymous = not request.user.is_authenticated
    limited = request.method == "POST" and anonymous and form_over_limit(request, form, group="expert_apply",
                                                                          rate=APPLY_RATE)
    if request.method == "POST" and not limited and form.is_valid():
        try:
            if expert is None:
                expert = pool.expert_apply(data=form.profile_data(), user=None if anonymous else request.user,
                                           consent_letter=form.cleaned_data["consent_letter"],
                                           password=form.cleaned_data.get("password1") or "")
            else:
                pool.expert_resubmit(expert_id=expert.pk, data=form.profile_data(), by=request.user,
                                     consent_letter=form.cleaned_data.get("consent_letter") or None)
        except ExpertsError as exc:
            form.add_error(None, str(exc))
        else:
            if anonymous:
                login(request, expert.user, backend="allauth.account.auth_backends.AuthenticationBackend")
            messages.success(request, "入库申请已提交，评价办公室审核后将通知您。如与任何医疗机构存在任职、投资、"
                                      "咨询、亲属等利害关系，请在下方“申报利益冲突”中逐项申报。")
            return redirect("experts:workbench")
    return render(request, "experts/apply.html", {"form": form, "expert": expert})


def workbench(request):
    """The workbench: my tasks (open ones first, each with the due date that binds it now;
    finished ones apart) and, for pool experts, my profile and term, training and conflicts.
    A visitor sees the entrance: sign in, or apply to the pool."""
    if not request.user.is_authenticated:
        return render(request, "experts/landing.html")
    expert = getattr(request.user, "expert", None)
    if not hasattr(request.user, "evaluator") and expert is None:
        return redirect("experts:apply")
    conflict_form = ConflictForm(request.POST or None) if expert is not None else None
    if request.method == "POST" and conflict_form is not None and conflict_form.is_valid():
        try:
            pool.conflict_declare(expert_id=expert.pk, by=request.user, **conflict_form.cleaned_data)
        except ExpertsError as exc:
            conflict_form.add_error(None, str(exc))
        else:
            messages.success(request, "利益冲突已登记，相关机构的评价将自动回避。")
            return redirect("experts:workbench")
    assignments = list(assignments_of(user=request.user))
    open_tasks = [a for a in assignments if a.state == Assignment.State.ASSIGNED]
    for task in open_tasks:
        task.clock = task.evaluation.current_clock()
    open_tasks.sort(key=lambda a: (a.clock is None, a.clock.due_on if a.clock else None, a.pk))
    done = [a for a in assignments if a.state != Assignment.State.ASSIGNED]
    return render(request, "experts/workbench.html", {
        "open_tasks": open_tasks, "done": done, "today": timezone.localdate(), "expert": expert,
        **(selectors.workbench_profile(expert=expert) if expert is not None else {}),
        "recent_messages": inbox_messages(user=request.user)[:5],
        "can_reapply": expert is not None and can_proceed(expert.resubmit),
        "conflict_form": conflict_form,
    })


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
