import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase

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


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data, seeded once per module inside a transaction that is rolled back after
    the module's last test (each test still runs in its own savepoint on top of it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("seed_demo")
        yield
        transaction.set_rollback(True)
