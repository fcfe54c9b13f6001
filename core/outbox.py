"""The outbox: work after a commit that survives a broker outage or a killed worker.

``job_enqueue("app.tasks.name", *args)`` is called inside the transaction that makes the work
necessary. Tasks are named, not imported, so a service and its task never import each other
(each app's ``apps.py`` imports its ``tasks`` module, which registers them with Celery).
It records an OutboxJob in that transaction and, once it commits, sends the task to Celery.
If the broker is down the send is logged and nothing else fails: the job stays pending. When
the task succeeds (Celery's ``task_postrun``), its job is marked done. The deadline scanner
re-sends every job still pending after ``OUTBOX_RETRY_MINUTES`` (longer than a task may
run), so a lost message or a worker killed mid-task costs minutes. Tasks are idempotent, so
a job sent twice does its work once.
"""
import datetime as dt
import json
import logging
from collections.abc import Callable

from celery import current_app, shared_task
from celery.signals import task_postrun
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from kombu.exceptions import OperationalError

from .deadlines import deadline_scanner
from .models import OutboxJob

logger = logging.getLogger(__name__)
# What publishing raises when the broker cannot be reached.
BROKER_ERRORS = (OperationalError, OSError)


def outbox_task(**options):
    """The decorator for a task the outbox sends (documents, invoices): shared_task with the
    project's one retry policy, a storage or network error (OSError) retried with backoff."""
    return shared_task(autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=settings.TASK_RETRY_BACKOFF_MAX,
                       max_retries=settings.TASK_MAX_RETRIES, **options)


def job_key(task_name: str, args) -> str:
    return f"{task_name}:{json.dumps(list(args), separators=(',', ':'))}"


def registered_task(name: str):
    """The Celery task called ``name``; a LookupError at once (inside the caller's transaction)
    for a name no app registered, rather than a lost job after the commit."""
    try:
        return current_app.tasks[name]
    except KeyError:
        raise LookupError(f"No Celery task is registered as {name!r}") from None


def job_enqueue(task_name: str, *args) -> OutboxJob:
    """Record the task ``task_name(*args)`` as pending work and send it to Celery after commit.
    Asking again for work already recorded (done or not) makes it pending and sends it again."""
    registered_task(task_name)
    job = OutboxJob(key=job_key(task_name, args), task=task_name, args=list(args), state=OutboxJob.State.PENDING,
                    enqueued_at=timezone.now(), done_at=None)
    # One statement (INSERT ... ON CONFLICT DO UPDATE), which also gives the row's id.
    OutboxJob.objects.bulk_create([job], update_conflicts=True, unique_fields=["key"],
                                  update_fields=["task", "args", "state", "enqueued_at", "done_at"])
    transaction.on_commit(lambda: _publish(job.pk))
    return job


def _publish(job_id: int) -> None:
    job = OutboxJob.objects.filter(pk=job_id, state=OutboxJob.State.PENDING).first()
    if job is None:
        return
    OutboxJob.objects.filter(pk=job.pk).update(attempts=job.attempts + 1)
    try:
        registered_task(job.task).apply_async(args=job.args)
    except BROKER_ERRORS as exc:  # the broker is unreachable: the scanner sends it later
        OutboxJob.objects.filter(pk=job.pk).update(last_error=f"{type(exc).__name__}: {exc}"[:2000])
        logger.warning("outbox job %s (%s) not sent, will retry: %s", job.pk, job.key, exc)


def task_send(task_name: str, *args, countdown: float | None = None) -> None:
    """Send ``task_name(*args)`` to Celery now (to run ``countdown`` seconds later), for work
    whose own row is its outbox entry (an email or SMS delivery, a kept payment notification):
    a scanner re-sends the rows still pending with ``resend_stale``, so an unreachable broker is
    logged and nothing else fails."""
    try:
        registered_task(task_name).apply_async(args=args, countdown=countdown)
    except BROKER_ERRORS as exc:
        logger.warning("%s%r not sent, will retry: %s", task_name, args, exc)


@task_postrun.connect(dispatch_uid="core.outbox.mark_done")
def _mark_done(sender=None, args=None, state=None, **kwargs):
    if state != "SUCCESS" or sender is None:
        return
    OutboxJob.objects.filter(key=job_key(sender.name, args or ()), state=OutboxJob.State.PENDING).update(
        state=OutboxJob.State.DONE, done_at=timezone.now(), last_error="")


def resend_stale(pending: QuerySet, send: Callable[[int], None], *, now=None) -> int:
    """For any outbox-like table (jobs here, email/SMS deliveries in core.notifications): claim
    the ``pending`` rows last sent more than ``OUTBOX_RETRY_MINUTES`` ago, stamp them sent now
    and ``send(pk)`` each after commit. Rows another scan holds are skipped, so overlapping
    scans never send one twice. Returns how many were re-sent."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(minutes=settings.OUTBOX_RETRY_MINUTES)
    with transaction.atomic():
        stale = list(pending.select_for_update(skip_locked=True).filter(enqueued_at__lt=cutoff)
                     .values_list("pk", flat=True)[:500])
        pending.model.objects.filter(pk__in=stale).update(enqueued_at=now)
        for pk in stale:
            transaction.on_commit(lambda pk=pk: send(pk))
    if stale:
        logger.info("%s: re-sent %d pending rows", pending.model._meta.label, len(stale))
    return len(stale)


def jobs_resend_stale(*, now=None) -> int:
    """Send again every job still pending a while after it was last sent."""
    return resend_stale(OutboxJob.objects.filter(state=OutboxJob.State.PENDING), _publish, now=now)


@deadline_scanner("core.outbox_resend")
def _scan_outbox(now):
    return jobs_resend_stale(now=now)
