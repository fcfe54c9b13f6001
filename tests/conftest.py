import pytest
from django.conf import settings
from django.core.cache import cache

from core import sms
from tests.accounts.factories import UserFactory


@pytest.fixture(autouse=True)
def _isolated_cache_and_outboxes():
    """Rate-limit counters live in the cache (Redis in CI): start every test clean."""
    _clear_cache()
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


def _clear_cache():
    if not settings.REDIS_URL:
        cache.clear()
        return
    # Delete only the test prefix's keys: FLUSHDB would take a developer's other data too.
    cache.delete_pattern("*")  # django-redis: only keys under this profile's prefix
