"""Work queues on the admin index: 待审核 N, 待核实 N, 逾期 N …, each for the staff who act on it.

An app's admin registers its queues (``register_queue``) as a model and the filter that picks
the waiting rows; the count and the link to the filtered changelist both come from that one
filter, so they always agree.
"""
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import models
from django.urls import reverse


@dataclass(frozen=True)
class Queue:
    label: str
    permission: str  # the permission of those who act on it (not merely see it)
    model: type[models.Model]
    filters: dict | Callable[[], dict]  # ORM lookups of the waiting rows (a callable when they depend on today)
    query: str = ""  # the changelist's own filter for them, when it is not the lookups themselves
    urgent: bool = False  # overdue work is shown in red

    def count(self) -> int:
        filters = self.filters() if callable(self.filters) else self.filters
        return self.model._default_manager.filter(**filters).distinct().count()

    def url(self) -> str:
        opts = self.model._meta
        query = self.query or urlencode({_param(k): _value(v) for k, v in self.filters.items()})
        return f"{reverse(f'admin:{opts.app_label}_{opts.model_name}_changelist')}?{query}"


def _param(lookup: str) -> str:
    return lookup if "__" in lookup else f"{lookup}__exact"


def _value(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, list | tuple | set | frozenset):
        return ",".join(sorted(str(v) for v in value))  # the admin splits __in values on commas
    return value


_queues: list[Queue] = []


def register_queue(queue: Queue) -> None:
    if all(q.label != queue.label for q in _queues):
        _queues.append(queue)


def queues_for(user) -> list[tuple[Queue, int, str]]:
    """(queue, count, url) for each queue the user may act on."""
    return [(q, q.count(), q.url()) for q in _queues if user.has_perm(q.permission)]
