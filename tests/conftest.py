import pytest
from django.core.cache import cache

from core import sms
from tests.accounts.factories import UserFactory


@pytest.fixture(autouse=True)
def _isolated_cache_and_outboxes():
    """Rate-limit counters live in the cache (Redis in CI): start every test clean."""
    cache.clear()
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()
