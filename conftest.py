"""Fixtures and scheduling for every test (tests/ and each app's own tests/ folders): a clean
cache and SMS outbox per test, users, and the demo data seeded once per test process."""
import ast
import datetime as dt
import functools
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase

from core import pdf, sms
from tests import demo_snapshot
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


def pytest_xdist_make_scheduler(config, log):
    """``make test`` (``--dist loadgroup``): every module that uses the demo runs on one worker,
    which seeds the demo once and puts it back for each later module (see ``demo``), while the
    other workers take every other test one by one, in pytest-django's order (transactional
    tests last). xdist's own grouping marks tests by rewriting their node ids, which pytest
    9.2 no longer reads (pytest-dev/pytest-xdist#1386), so the grouping is done here."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class DemoModulesTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "the demo modules" if _uses_demo(config.rootpath / nodeid.split("::", 1)[0]) else nodeid

    return DemoModulesTogether(config, log)


@functools.cache
def _uses_demo(path: Path) -> bool:
    """Whether a test module has a test that takes the ``demo`` fixture."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return False
    return any(isinstance(node, ast.FunctionDef) and node.name.startswith("test")
               and any(arg.arg == "demo" for arg in node.args.args) for node in ast.walk(tree))


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data, seeded once per module inside a transaction that is rolled back after
    the module's last test (each test still runs in its own savepoint on top of it).

    The tests on the demo read its pages, rows and permissions, not the PDFs it stores (each
    PDF is tested with its own workflow), so while seeding every PDF is one stand-in document:
    a real PDF, laid out once per process, instead of some fifty full renders. A process seeds
    once; its later modules put back a copy of the tables (tests/demo_snapshot.py)."""
    global _demo_tables
    with django_db_blocker.unblock(), transaction.atomic():
        if _demo_tables is None:
            stand_in = _stand_in_pdf()
            # The stand-in wraps the commit callbacks: the documents their tasks draw are
            # stand-ins too (the other way round, the callbacks ran after it was taken away).
            with (mock.patch.object(pdf, "HTML", lambda *args, **kwargs: SimpleNamespace(write_pdf=lambda: stand_in)),
                  TestCase.captureOnCommitCallbacks(execute=True)):
                call_command("seed_demo")
            _demo_tables = demo_snapshot.take()
        else:
            demo_snapshot.put_back(_demo_tables)
        yield
        transaction.set_rollback(True)


_demo_tables: list[demo_snapshot.Table] | None = None


@functools.cache
def _stand_in_pdf() -> bytes:
    return pdf.render_pdf("pdf/notice.html", {"title": "演示文件", "paragraphs": ["演示数据中的 PDF 文件"],
                                              "date": dt.date(2026, 1, 1)})

