import pytest
from django.conf import settings

from config.celery import app
from core import deadlines, tasks


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(deadlines, "_scanners", {})
    return deadlines


def test_registered_scanners_run_with_the_same_now(registry):
    calls = []

    @registry.deadline_scanner("a.first")
    def first(now):
        calls.append(("first", now))
        return 2

    @registry.deadline_scanner("b.second")
    def second(now):
        calls.append(("second", now))
        return 0

    results = registry.run_scanners()
    assert results == {"a.first": 2, "b.second": 0}
    assert calls[0][1] == calls[1][1]


def test_a_failing_scanner_does_not_stop_the_others(registry, caplog):
    @registry.deadline_scanner("a.broken")
    def broken(now):
        raise RuntimeError("boom")

    @registry.deadline_scanner("b.fine")
    def fine(now):
        return 1

    assert registry.run_scanners() == {"a.broken": None, "b.fine": 1}
    assert "a.broken failed" in caplog.text


def test_two_scanners_cannot_share_a_name(registry):
    registry.deadline_scanner("x")(lambda now: 0)
    with pytest.raises(ValueError):
        registry.deadline_scanner("x")(lambda now: 1)


def test_apps_scanners_are_discovered_at_startup():
    assert "core.redeliver_stale_notifications" in deadlines.registered_scanners()


@pytest.mark.django_db
def test_beat_runs_the_scan_every_minute_through_a_task():
    entry = settings.CELERY_BEAT_SCHEDULE["deadline-scan"]
    assert entry["task"] == tasks.run_deadline_scanners.name
    assert entry["schedule"] == 60.0
    results = tasks.run_deadline_scanners.delay().get()
    assert results.keys() == deadlines.registered_scanners().keys()
    assert results["core.redeliver_stale_notifications"] == 0


def test_celery_is_configured_for_safe_redelivery():
    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.timezone == "Asia/Shanghai"
    task = tasks.deliver_notification
    assert task.max_retries == settings.TASK_MAX_RETRIES
    assert task.retry_backoff_max < settings.CELERY_BROKER_VISIBILITY_TIMEOUT
    assert hasattr(task, "delay_on_commit")


@pytest.mark.parametrize("name", [
    "membership.tasks.generate_certificate", "payments.tasks.make_receipt", "payments.tasks.submit_invoice",
    "payments.tasks.check_invoice", "evaluation.tasks.generate_certificates",
    "evaluation.tasks.generate_application_form_pdf", "evaluation.tasks.generate_acceptance_notice",
    "experts.tasks.generate_appointment_letter", "experts.tasks.generate_visit_notice",
    "experts.tasks.generate_group_report", "experts.tasks.generate_minutes",
])
def test_every_task_the_outbox_sends_retries_storage_errors_within_the_redelivery_window(name):
    task = app.tasks[name]
    assert task.autoretry_for == (OSError,) and task.max_retries == settings.TASK_MAX_RETRIES
    assert task.retry_backoff_max < settings.CELERY_BROKER_VISIBILITY_TIMEOUT
