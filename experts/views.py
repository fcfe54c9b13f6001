"""The workbench: an evaluator's assignments, the institution's materials, and scoring."""
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django_fsm import can_proceed

from accounts import verification
from core import staging
from core.fragments import active_account, cached_value, kept_page
from core.ratelimits import form_over_limit
from core.selectors import inbox_messages
from evaluation import services as evaluation_services
from evaluation.exceptions import EvaluationError
from evaluation.models import Assignment
from evaluation.selectors import assignments_of, scoring_sheet

from . import pool, selectors
from .exceptions import ExpertsError
from .forms import ConflictForm, ExpertApplicationForm
from .meeting_selectors import meetings_of
from .models import Invitation

# An anonymous application creates an account and uploads a file: a few per address and hour.
APPLY_RATE = "10/h"
APPLY_PURPOSE = "expert-apply"  # core.staging: the consent letter kept across a refused submission


def apply(request):
    """Apply to the expert pool (004 §9), from the home page's 专家工作台 entrance. A visitor
    proves their mobile by an SMS code and gets an account; a signed-in person applies with
    theirs. A returned, expiring or expired expert applies again here (reappointment keeps every
    earlier term). A consent letter chosen on a refused submission is kept for the next one."""
    expert = getattr(request.user, "expert", None) if request.user.is_authenticated else None
    if expert is not None and not can_proceed(expert.resubmit):
        return redirect("experts:workbench")
    anonymous = not request.user.is_authenticated
    if request.method == "POST" and anonymous and "send_code" in request.POST:
        form = ExpertApplicationForm(initial={k: v for k, v in request.POST.items()
                                              if k not in ("csrfmiddlewaretoken", "send_code", "password1",
                                                           "password2")}, user=request.user)
        form.show_staged(staging.staged_names(request, APPLY_PURPOSE))
        return render(request, "experts/apply.html", {
            "form": form, "expert": expert,
            "sms_notice": verification.send_code_notice(request, request.POST.get("mobile", ""))})
    kept = ({"consent_letter": expert.consent_letter_name} if expert is not None
            else staging.staged_names(request, APPLY_PURPOSE))
    form = ExpertApplicationForm(request.POST or None, request.FILES or None, instance=expert, user=request.user,
                                 staged=kept)
    limited = request.method == "POST" and anonymous and form_over_limit(request, form, group="expert_apply",
                                                                          rate=APPLY_RATE)
    if request.method == "POST" and not limited and form.is_valid() and (
            not anonymous or (verification.form_mobile_proven(form) and not verification.add_taken_errors(form))):
        try:
            if expert is None:
                consent = (form.cleaned_data.get("consent_letter")
                           or staging.staged_file(request, APPLY_PURPOSE, "consent_letter"))
                expert = pool.expert_apply(data=form.profile_data(), user=None if anonymous else request.user,
                                           consent_letter=consent, password=form.cleaned_data.get("password1") or "")
            else:
                pool.expert_resubmit(expert_id=expert.pk, data=form.profile_data(), by=request.user,
                                     consent_letter=form.cleaned_data.get("consent_letter") or None)
        except ExpertsError as exc:
            form.add_error(None, str(exc))
        else:
            staging.unstage(request, APPLY_PURPOSE)
            if anonymous:
                login(request, expert.user, backend="accounts.backends.AuthenticationBackend")
            messages.success(request, "入库申请已提交，评价办公室审核后将通知您。如与任何医疗机构存在任职、投资、"
                                      "咨询、亲属等利害关系，请在下方“申报利益冲突”中逐项申报。")
            return redirect("experts:workbench")
    if request.method == "POST" and expert is None and not limited:
        staging.stage(request, APPLY_PURPOSE, form, ExpertApplicationForm.upload_fields)
        form.show_staged(staging.staged_names(request, APPLY_PURPOSE))
    return render(request, "experts/apply.html", {"form": form, "expert": expert})


DONE_SHOWN = 20  # finished tasks listed on the workbench (the latest)


@kept_page(active_account)
def workbench(request):
    """The workbench: my tasks (open ones first, each with the due date that binds it now;
    finished ones apart) and, for pool experts, my profile and term, training and conflicts.
    A visitor sees the entrance: sign in, or apply to the pool."""
    if not request.user.is_authenticated:
        return render(request, "experts/landing.html")
    def entrance():
        user = request.user
        expert = getattr(user, "expert", None)
        return expert, (expert is not None or hasattr(user, "evaluator")
                        or user.committee_seats.filter(until__isnull=True).exists())
    # A page view trusts the kept entrance (core.fragments); a declaration reads it afresh.
    expert, may_enter = (cached_value("workbench-entrance", request.user.pk, entrance) if request.method != "POST"
                         else entrance())
    if not may_enter:
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

    def body():
        assignments = assignments_of(user=request.user)
        open_tasks = list(assignments.filter(state=Assignment.State.ASSIGNED))
        for task in open_tasks:
            task.clock = task.evaluation.current_clock()
        open_tasks.sort(key=lambda a: (a.clock is None, a.clock.due_on if a.clock else None, a.pk))
        # The finished ones grow with every year of service: the latest are shown, however many.
        done = list(assignments.exclude(state=Assignment.State.ASSIGNED).prefetch_related(None).order_by("-pk")
                    [:DONE_SHOWN + 1])
        return {
            "open_tasks": open_tasks, "done": done[:DONE_SHOWN], "more_done": len(done) > DONE_SHOWN,
            "today": timezone.localdate(),
            **(selectors.workbench_profile(expert=expert) if expert is not None else {}),
            "recent_messages": inbox_messages(user=request.user)[:5],
            "invitations": selectors.invitations_of(expert=expert) if expert is not None else [],
            "can_reapply": expert is not None and can_proceed(expert.resubmit),
            "meetings": list(meetings_of(request.user)[:5]),
        }
    return render(request, "experts/workbench.html", {
        "expert": expert, "conflict_form": conflict_form, "fragment_context": body})


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
