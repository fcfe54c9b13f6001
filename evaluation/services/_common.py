"""The skeleton every evaluation step shares: lock the evaluation, take one transition of its
programme's graph (logged by django-fsm-log), save, keep the clocks in step, and tell people
after commit. A step that is not possible from the current state is refused with a message."""
import datetime as dt
import logging
from collections.abc import Callable

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_fsm import ConcurrentTransition

from accounts.roles import EVALUATION_OFFICE, notify_role
from core.calendar import add_working_days
from core.notifications import notification_send
from core.workflow import locked_step

from ..exceptions import MissingReason, WrongState
from ..models import Deadline, Evaluation

logger = logging.getLogger("evaluation.services")
K = Deadline.Kind


def locked_evaluation(evaluation_id: int) -> Evaluation:
    return (Evaluation.objects.select_for_update(of=("self",))
            .select_related("programme", "member__user").get(pk=evaluation_id))


def evaluation_move(evaluation_id: int, step: Callable[[Evaluation], None], *,
                    then: Callable[[Evaluation], None] | None = None) -> Evaluation:
    """Lock the evaluation, take ``step`` (one transition), save, then ``then`` (clocks,
    records, notices) in the same transaction. A transition the programme does not allow
    from here (another click or person was first) raises WrongState, never a crash."""
    return locked_step(locked_evaluation, evaluation_id, step, then=then, refused=lambda evaluation: WrongState(
        f"该评价当前处于“{evaluation.get_state_display()}”阶段，不能进行此操作，请刷新后查看。"))


def guarded_save(evaluation: Evaluation) -> None:
    """Save after a transition taken outside evaluation_move (inside a caller's lock)."""
    try:
        evaluation.save()
    except ConcurrentTransition:
        raise WrongState("该评价刚被其他人处理，请刷新后查看。") from None


def start_clock(evaluation: Evaluation, kind: str, start: dt.date | None = None) -> Deadline:
    """Start (or restart) one of the evaluation's clocks, as long as its programme says."""
    start = start or timezone.localdate()
    due = add_working_days(start, evaluation.rules.clocks[kind].working_days)
    deadline, _ = Deadline.objects.update_or_create(evaluation=evaluation, kind=kind, defaults={
        "starts_on": start, "due_on": due.date, "provisional": due.provisional,
        "reminded_at": None, "acted_at": None, "met_at": None,
    })
    return deadline


def meet_clock(evaluation: Evaluation, kind: str) -> None:
    Deadline.objects.filter(evaluation=evaluation, kind=kind, met_at__isnull=True).update(met_at=timezone.now())


def tell_member(evaluation: Evaluation, template: str, **context) -> None:
    user, url = evaluation.member.user, evaluation.get_absolute_url()
    transaction.on_commit(lambda: notification_send(
        template=template, user=user, url=url, context={"evaluation": evaluation, **context}))


def tell_office(evaluation: Evaluation, template: str, **context) -> None:
    notify_role(EVALUATION_OFFICE, template=template, context={"evaluation": evaluation, **context},
                url=reverse("admin:evaluation_evaluation_change", args=[evaluation.pk]))


def require(text: str, message: str) -> None:
    if not (text or "").strip():
        raise MissingReason(message)


def notice_start_if_due(evaluation: Evaluation) -> None:
    """Where a step lands on public notice (credit: the committee's approval; capability: the
    appeal answered or its window closed), the 7 working days start and the institution is told."""
    if evaluation.state == Evaluation.State.PUBLIC_NOTICE:
        start_clock(evaluation, K.NOTICE)
        tell_member(evaluation, "evaluation_notice")
