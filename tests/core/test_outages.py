"""A cache or broker outage: pages keep serving, /healthz says what is down, and work that
was committed is kept in the outbox and done once the broker is back."""
import datetime as dt

import pytest
from celery import current_app
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from core import deadlines
from core.models import OutboxJob
from payments import sandbox
from payments.models import Invoice, Order, ReceivedNotification
from tests.accounts.factories import PASSWORD, UserFactory
from tests.membership.factories import UnitMemberFactory
from tests.payments.helpers import dues_order, paid_trade, pay_by_wechat, post_notification, start_wechat

pytestmark = pytest.mark.django_db(transaction=True)

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def cache_down(settings):
    timeouts = {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2}
    settings.CACHES = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": UNREACHABLE_REDIS,
                    "OPTIONS": {"IGNORE_EXCEPTIONS": True, **timeouts}},
        "limits-shared": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": UNREACHABLE_REDIS,
                          "OPTIONS": timeouts},
        "limits": {"BACKEND": "core.limits_cache.FailoverCache", "LOCATION": "limits",
                   "OPTIONS": {"PRIMARY": "limits-shared"}},
    }
    yield


@pytest.fixture
def broker_down():
    """Celery publishes to a broker nobody listens on (nothing runs in-process meanwhile)."""
    conf = current_app.conf
    saved = conf.broker_url, conf.task_always_eager
    conf.broker_url, conf.task_always_eager = UNREACHABLE_REDIS, False
    _forget_connections()
    yield
    conf.broker_url, conf.task_always_eager = saved
    _forget_connections()


def _forget_connections():
    current_app._pool = None
    current_app.amqp._producer_pool = None


def test_pages_serve_while_the_cache_is_down(cache_down, client):
    assert client.get("/").status_code == 200
    member = UnitMemberFactory(state="active")
    client.force_login(member.user)
    assert client.get(reverse("membership:centre")).status_code == 200


def test_signing_in_works_through_a_cache_outage_and_guessing_stays_bounded(cache_down, client):
    login = reverse("account_login")
    UserFactory(mobile="13912345678")
    other = UserFactory(mobile="13912345679")
    for _ in range(5):
        response = client.post(login, {"login": "13912345678", "password": "wrong-password"})
        assert response.status_code == 200 and "不正确" in response.content.decode()
    refused = client.post(login, {"login": "13912345678", "password": PASSWORD})
    assert refused.status_code == 200 and "登录失败次数过多" in refused.content.decode()
    assert client.post(login, {"login": "13912345679", "password": PASSWORD}).status_code == 302
    assert client.session[SESSION_KEY] == str(other.pk)


def test_healthz_reports_each_dependency(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok", "broker": "ok"}


def test_a_payment_notification_during_a_cache_outage_is_still_applied(cache_down, client,
                                                                        django_capture_on_commit_callbacks):
    order = start_wechat(dues_order(UnitMemberFactory(state="approved")))
    with django_capture_on_commit_callbacks(execute=True):  # the run is sent although no key could say so
        assert post_notification(client, sandbox.transaction_resource(paid_trade(order))).status_code == 204
    order.refresh_from_db()
    assert order.state == Order.State.PAID


def test_healthz_reports_the_cache_outage_with_503(cache_down, client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok" and body["cache"].startswith("error")


def test_healthz_reports_the_broker_outage_with_503(broker_down, client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")


def test_a_paid_notification_during_a_broker_outage_keeps_its_invoice_in_the_outbox(broker_down, client, settings):
    settings.INVOICE_DOCUMENTS = {}  # the dues get a 数电发票 from the provider
    order = start_wechat(dues_order(UnitMemberFactory(state="approved")))
    response = post_notification(client, sandbox.transaction_resource(paid_trade(order)))
    assert response.status_code == 204  # answered: the notification is kept, WeChat stops retrying
    order.refresh_from_db()
    assert order.state == Order.State.UNPAID  # its task could not be sent
    received = ReceivedNotification.objects.get()
    assert received.applied_at is None

    # Minutes later the broker is back; the scan sends the task again: the order is paid, and
    # the work that follows (receipt, invoice, certificate) goes through the outbox in turn.
    current_app.conf.broker_url, current_app.conf.task_always_eager = "memory://", True
    assert deadlines.run_scanners(now=timezone.now() + dt.timedelta(minutes=2))["payments.resend_notifications"] == 0
    deadlines.run_scanners(now=timezone.now() + dt.timedelta(minutes=7))
    order.refresh_from_db()
    received.refresh_from_db()
    # Paid once, by whichever came first: the resent notification or the scan's query of the order.
    assert order.state == Order.State.PAID and received.applied_at and received.outcome in ("paid", "duplicate")
    assert Invoice.objects.get(order=order).state == Invoice.State.ISSUED


def test_a_job_whose_worker_died_is_sent_again_after_the_retry_window_and_done_once(client, broker_down, settings):
    settings.INVOICE_DOCUMENTS = {}
    # The payment commits and its job is recorded, but the task never finishes (the worker
    # was killed, or the message was lost).
    order = dues_order(UnitMemberFactory(state="approved"))
    pay_by_wechat(client, order)
    job = OutboxJob.objects.get(task="payments.tasks.submit_invoice")
    current_app.conf.broker_url, current_app.conf.task_always_eager = "memory://", True
    soon = timezone.now() + dt.timedelta(minutes=2)
    assert deadlines.run_scanners(now=soon)["core.outbox_resend"] == 0  # the worker may still be on it
    later = timezone.now() + dt.timedelta(minutes=7)
    # The receipt, the invoice and the certificate (the notification, its own outbox entry, was
    # applied before the worker died).
    assert deadlines.run_scanners(now=later)["core.outbox_resend"] == 3
    assert deadlines.run_scanners(now=later + dt.timedelta(minutes=7))["core.outbox_resend"] == 0
    job.refresh_from_db()
    assert job.state == OutboxJob.State.DONE and job.attempts == 2
    assert Invoice.objects.get(order=order).state == Invoice.State.ISSUED


def test_asking_again_for_recorded_work_makes_its_one_row_pending_and_sends_it_again(broker_down):
    from core.outbox import job_enqueue

    first = job_enqueue("payments.tasks.submit_invoice", 4242)  # autocommit: sent at once (to a broker that is down)
    assert first.pk and OutboxJob.objects.get(pk=first.pk).state == OutboxJob.State.PENDING
    OutboxJob.objects.filter(pk=first.pk).update(state=OutboxJob.State.DONE, done_at=timezone.now())
    again = job_enqueue("payments.tasks.submit_invoice", 4242)
    row = OutboxJob.objects.get(key=first.key)
    assert again.pk == first.pk == row.pk and OutboxJob.objects.filter(key=first.key).count() == 1
    assert row.state == OutboxJob.State.PENDING and row.done_at is None and row.attempts == 2


def test_work_for_a_task_no_app_registered_is_refused_inside_the_transaction():
    """Tasks are enqueued by name: a wrong name fails where it is written, not after commit."""
    from core.outbox import job_enqueue

    with pytest.raises(LookupError, match="no.such.task"):
        job_enqueue("no.such.task", 1)
    assert not OutboxJob.objects.exists()
