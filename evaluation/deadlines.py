"""The evaluation clocks, acted on by the deadline scanner (core.deadlines).

Each due Deadline row is claimed with select_for_update(skip_locked) and marked acted, so a
second scan, or two at once, changes nothing. What happens when a clock runs out:
- appeal window: no appeal came, the result goes to the committee;
- public notice: publish, unless an objection is pending (then the office is told);
- acceptance, report, appeal answer, final report: the office is told (escalation).
A reminder goes to the office two working days before an office clock runs out, and
published results expire when their validity ends.
"""
from django.db import transaction
from django.utils import timezone

from core.calendar import add_working_days
from core.deadlines import deadline_scanner

from . import services
from .models import Deadline, Evaluation, Objection

K = Deadline.Kind
OFFICE_CLOCKS = (K.ACCEPT, K.REPORT, K.APPEAL_ANSWER, K.FINAL_REPORT)
REMIND_WORKING_DAYS = 2


@deadline_scanner("evaluation.clocks")
def act_on_clocks(now):
    today = timezone.localdate(now)
    acted = 0
    with transaction.atomic():
        due = list(Deadline.objects.select_for_update(skip_locked=True)
                   .filter(met_at__isnull=True, acted_at__isnull=True, due_on__lt=today)[:200])
        for deadline in due:
            _act_on(deadline, now)
            acted += 1
    return acted


def act_on_deadline(*, deadline_id: int, now) -> None:
    """Act on one clock that has run out, as the scanner would (used by demo data)."""
    with transaction.atomic():
        deadline = Deadline.objects.select_for_update().get(pk=deadline_id, met_at__isnull=True, acted_at__isnull=True)
        _act_on(deadline, now)


def _act_on(deadline: Deadline, now) -> None:
    evaluation = services.locked_evaluation(deadline.evaluation_id)
    _act(deadline, evaluation)
    deadline.acted_at = now
    deadline.save(update_fields=["acted_at"])


def _act(deadline: Deadline, evaluation: Evaluation) -> None:
    if deadline.kind == K.APPEAL_WINDOW and evaluation.state == Evaluation.State.INITIAL_RESULT:
        evaluation.close_appeal_window(description=f"复议申请期于 {deadline.due_on:%Y-%m-%d} 结束，未提出复议")
        evaluation.save()
    elif deadline.kind == K.NOTICE and evaluation.state == Evaluation.State.PUBLIC_NOTICE:
        if evaluation.objections.filter(decision=Objection.Decision.PENDING).exists():
            services.tell_office(evaluation, "evaluation_deadline_overdue", deadline=deadline)
        else:
            services.evaluation_publish(evaluation=evaluation)
    elif deadline.kind in OFFICE_CLOCKS:
        services.tell_office(evaluation, "evaluation_deadline_overdue", deadline=deadline)


@deadline_scanner("evaluation.reminders")
def remind_office(now):
    """Two working days ahead: the office of its own clocks, the institution of its appeal window."""
    today = timezone.localdate(now)
    horizon = add_working_days(today, REMIND_WORKING_DAYS).date
    with transaction.atomic():
        soon = list(Deadline.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("evaluation__member__user", "evaluation__programme")
                    .filter(kind__in=(*OFFICE_CLOCKS, K.APPEAL_WINDOW), met_at__isnull=True, reminded_at__isnull=True,
                            due_on__gte=today, due_on__lte=horizon)[:200])
        for deadline in soon:
            if deadline.kind == K.APPEAL_WINDOW:
                services.tell_member(deadline.evaluation, "evaluation_appeal_reminder", deadline=deadline)
            else:
                services.tell_office(deadline.evaluation, "evaluation_deadline_reminder", deadline=deadline)
            deadline.reminded_at = now
            deadline.save(update_fields=["reminded_at"])
    return len(soon)


@deadline_scanner("evaluation.expire_results")
def expire_results(now):
    today = timezone.localdate(now)
    with transaction.atomic():
        ended = list(Evaluation.objects.select_for_update(skip_locked=True)
                     .filter(state=Evaluation.State.PUBLISHED, valid_until__lt=today)[:200])
        for evaluation in ended:
            evaluation.expire(description=f"有效期于 {evaluation.valid_until:%Y-%m-%d} 届满")
            evaluation.save()
    return len(ended)
