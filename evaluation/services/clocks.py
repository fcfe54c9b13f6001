"""What the deadline scanner does (evaluation/deadlines.py calls only these): act once on each
clock that ran out, as its programme says; remind whom a clock binds; expire results."""
from django.db import transaction
from django.utils import timezone

from core.calendar import add_working_days

from ..models import Deadline, Evaluation
from ..programmes.base import CLOSE_APPEAL_WINDOW, END_NOTICE, ESCALATE
from ._common import locked_evaluation, tell_member, tell_office
from .appeal import evaluation_close_appeal_window
from .notice import notice_end
from .publication import evaluation_expire

REMIND_WORKING_DAYS = 2
BATCH = 200


def clocks_act(*, now) -> int:
    """Act on every clock past its due date, once (claimed rows are skipped by a parallel scan)."""
    today = timezone.localdate(now)
    with transaction.atomic():
        due = list(Deadline.objects.select_for_update(skip_locked=True)
                   .filter(met_at__isnull=True, acted_at__isnull=True, due_on__lt=today)[:BATCH])
        for deadline in due:
            clock_act(deadline=deadline, now=now)
    return len(due)


def clock_act(*, deadline: Deadline, now) -> None:
    """What this clock's programme says happens when it runs out; marked acted either way."""
    evaluation = locked_evaluation(deadline.evaluation_id)
    clock = evaluation.rules.clocks.get(deadline.kind)
    action = clock.on_expiry if clock else None
    if action == CLOSE_APPEAL_WINDOW:
        if evaluation.rules.allows("close_appeal_window", evaluation.state):
            evaluation_close_appeal_window(evaluation_id=evaluation.pk)
    elif action == END_NOTICE:
        notice_end(evaluation_id=evaluation.pk)
    elif action == ESCALATE and clock.binds == "office":
        tell_office(evaluation, "evaluation_deadline_overdue", deadline=deadline)
    deadline.acted_at = now
    deadline.save(update_fields=["acted_at"])


def clock_act_now(*, deadline_id: int, now) -> None:
    """Act on one clock as the scanner would (the demo uses it to fast-forward)."""
    with transaction.atomic():
        deadline = Deadline.objects.select_for_update().get(pk=deadline_id, met_at__isnull=True, acted_at__isnull=True)
        clock_act(deadline=deadline, now=now)


def clocks_remind(*, now) -> int:
    """Two working days ahead, remind whom each running clock binds (office or institution), once."""
    today = timezone.localdate(now)
    horizon = add_working_days(today, REMIND_WORKING_DAYS).date
    with transaction.atomic():
        soon = list(Deadline.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("evaluation__member__user", "evaluation__programme")
                    .filter(met_at__isnull=True, reminded_at__isnull=True, due_on__gte=today,
                            due_on__lte=horizon)[:BATCH])
        reminded = 0
        for deadline in soon:
            clock = deadline.evaluation.rules.clocks.get(deadline.kind)
            binds = clock.binds if clock else None
            if binds == "member":
                tell_member(deadline.evaluation, "evaluation_appeal_reminder", deadline=deadline)
            elif binds == "office":
                tell_office(deadline.evaluation, "evaluation_deadline_reminder", deadline=deadline)
            reminded += binds in ("member", "office")
            deadline.reminded_at = now  # handled: a clock that binds nobody needs no reminder
            deadline.save(update_fields=["reminded_at"])
    return reminded


def results_expire(*, now) -> int:
    """Published results whose validity ended become expired (and the institution is told)."""
    today = timezone.localdate(now)
    with transaction.atomic():
        ended = list(Evaluation.objects.select_for_update(skip_locked=True)
                     .filter(state=Evaluation.State.PUBLISHED, valid_until__lt=today).values_list("pk", flat=True)[:BATCH])
        for pk in ended:
            evaluation_expire(evaluation_id=pk)
    return len(ended)
