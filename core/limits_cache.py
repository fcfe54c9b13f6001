"""The cache that rate limits count in: the shared cache (Redis) while it answers, this
process's memory while it does not.

Sign-in limits (allauth's) and the anonymous forms' limits (django-ratelimit) count attempts
in a cache. On the shared cache alone, an outage would either refuse every attempt (allauth
cannot take its lock and answers 429: nobody could sign in) or count nothing (unbounded
guessing). Here each call goes to the shared cache; a connection error switches this process
to its own in-memory counters for BREAK_SECONDS, then the shared cache is tried again. During
an outage guessing stays bounded per process (the limit times the number of web processes),
and signing in keeps working.

Configured as a cache alias (``CACHES["limits"]``) whose OPTIONS name the shared cache's
alias (``PRIMARY``), which must raise on connection errors (django-redis without
IGNORE_EXCEPTIONS).
"""
import logging
import time

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
BREAK_SECONDS = 30
UNREACHABLE = (ConnectionInterrupted, RedisError, OSError)


class FailoverCache(BaseCache):
    def __init__(self, location, params):
        super().__init__(params)
        self._primary_alias = params.get("OPTIONS", {}).get("PRIMARY", "default")
        self._fallback = LocMemCache(f"limits-fallback-{location}", {"TIMEOUT": params.get("TIMEOUT", 300)})
        self._down_until = 0.0

    def _call(self, method: str, *args, **kwargs):
        if time.monotonic() >= self._down_until:
            try:
                return getattr(caches[self._primary_alias], method)(*args, **kwargs)
            except UNREACHABLE:
                logger.warning("rate-limit counters: shared cache unreachable, counting in this process for %s s",
                               BREAK_SECONDS)
                self._down_until = time.monotonic() + BREAK_SECONDS
        return getattr(self._fallback, method)(*args, **kwargs)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def decr(self, key, delta=1, version=None):
        return self._call("decr", key, delta, version)

    def clear(self):
        self._fallback.clear()
        return self._call("clear")
