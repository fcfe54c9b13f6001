"""The expert workbench (专家工作台): one page for everyone who works as an expert, gathering
their tasks from each concern: credit-evaluation assignments and the profile, term, training
and conflicts of the pool, invitations to on-site reviews, committee meetings, and the
continuing-education credits earned as a lecturer."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django_fsm import can_proceed

from core.fragments import active_account, cached_value, kept_page
from core.selectors import inbox_messages
from education.credits.selectors import lecturer_awards_of
from evaluation.models import Assignment
from evaluation.selectors import assignments_of
from experts.committees.selectors import meetings_of
from experts.exceptions import ExpertsError
from experts.pool import selectors
from experts.pool import services as pool
from experts.pool.forms import ConflictForm
from experts.review.selectors import invitations_of

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
            "invitations": invitations_of(expert=expert) if expert is not None else [],
            "can_reapply": expert is not None and can_proceed(expert.resubmit),
            "meetings": list(meetings_of(request.user)[:5]),
            "lecturer_awards": lecturer_awards_of(user=request.user),
        }
    return render(request, "experts/workbench.html", {
        "expert": expert, "conflict_form": conflict_form, "fragment_context": body})
