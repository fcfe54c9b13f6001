"""Health checks of what the portal depends on: the database, the cache and the broker."""
import logging
import uuid

from django.core.cache import cache
from django.db import connection

logger = logging.getLogger(__name__)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    # The cache backend swallows connection errors (pages must keep serving), so a value
    # written and not read back is how an outage shows.
    key, value = "healthz-probe", uuid.uuid4().hex
    cache.set(key, value, 10)
    if cache.get(key) != value:
        raise ConnectionError("the cache did not keep a value")


def _broker() -> None:
    from celery import current_app

    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)


CHECKS = {"database": _database, "cache": _cache, "broker": _broker}


def check_all() -> dict[str, tuple[bool, str]]:
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # any failure of a dependency is reported, not raised
            logger.warning("health check %s failed: %s", name, exc)
            results[name] = (False, type(exc).__name__)
        else:
            results[name] = (True, "")
    return results
