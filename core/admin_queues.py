"""Work queues on the admin index: 待审核 N, 待核实 N, 逾期 N …, each for the staff who may see it.

Apps register their queues in AppConfig.ready() with ``register_queue``; the admin index
shows the ones the signed-in user has the permission for, with their counts and a link to
the filtered list.
"""
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Queue:
    label: str
    permission: str  # the permission of those who act on it (not merely see it)
    changelist: str  # admin URL name, e.g. "admin:membership_member_changelist"
    query: str  # the changelist's filter, e.g. "state__exact=submitted"
    count: Callable[[], int]
    urgent: bool = False  # overdue work is shown in red


_queues: list[Queue] = []


def register_queue(queue: Queue) -> None:
    if all(q.label != queue.label for q in _queues):
        _queues.append(queue)


def queues_for(user) -> list[tuple[Queue, int, str]]:
    """(queue, count, url) for each queue the user may see."""
    return [(q, q.count(), f"{reverse(q.changelist)}?{q.query}" if q.query else reverse(q.changelist))
            for q in _queues if user.has_perm(q.permission)]
