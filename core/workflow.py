"""The shape every workflow step shares, in every app: lock the row, take one FSM transition
(django-fsm-log records who, when and why), save, then do what follows (clocks, records,
notices on commit) in the same transaction. A transition the current state does not allow
(another click or person was first) becomes the app's own refusal with a message."""
from collections.abc import Callable

from django.db import transaction
from django_fsm import ConcurrentTransition, TransitionNotAllowed


def locked_step(lock: Callable[[int], object], pk: int, step: Callable[[object], None], *,
                refused: Callable[[object], Exception], then: Callable[[object], None] | None = None):
    """``lock(pk)`` returns the row locked (select_for_update); ``refused(obj)`` builds the
    app's error for a step its state does not allow."""
    with transaction.atomic():
        obj = lock(pk)
        try:
            step(obj)
            obj.save()
        except (TransitionNotAllowed, ConcurrentTransition):
            raise refused(obj) from None
        if then is not None:
            then(obj)
    return obj
