"""The deadline registry: every timer in the portal is a stored due date found by a scan.

An app registers a scanner in its ``deadlines.py``::

    @deadline_scanner("membership.expire")
    def expire_memberships(now):
        ...  # select_for_update(skip_locked=True) what is due, act on it, return a count

One Celery beat task calls every scanner each minute (``core.tasks.run_deadline_scanners``).
Scanners must be idempotent: acting on a due date twice changes nothing, so a missed run
simply catches up and two overlapping runs do no harm.
"""
import logging
from collections.abc import Callable
from datetime import datetime

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

logger = logging.getLogger(__name__)

Scanner = Callable[[datetime], int | None]
_scanners: dict[str, Scanner] = {}


def deadline_scanner(name: str) -> Callable[[Scanner], Scanner]:
    def register(func: Scanner) -> Scanner:
        if _scanners.get(name, func) is not func:
            raise ValueError(f"A deadline scanner named {name!r} is already registered")
        _scanners[name] = func
        return func

    return register


def registered_scanners() -> dict[str, Scanner]:
    return dict(_scanners)


def discover() -> None:
    autodiscover_modules("deadlines")


def run_scanners(now: datetime | None = None) -> dict[str, int | None]:
    """Run every scanner once; one failing scanner is logged and does not stop the others."""
    now = now or timezone.now()
    results: dict[str, int | None] = {}
    for name, scanner in sorted(_scanners.items()):
        try:
            results[name] = scanner(now)
        except Exception:
            logger.exception("deadline scanner %s failed", name)
            results[name] = None
    return results
