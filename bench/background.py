"""The background work's benchmarks, run by ``bench/load.py`` inside a Django process on the
benchmark's database: the deadline scan over the seeded 100,000 due clocks, certificate PDFs
warm, and a burst of WeChat Pay notifications against the running server.

Each function returns a dict that load.py prints in its table.
"""
import datetime as dt
import secrets
import statistics
import time
import tracemalloc
from concurrent.futures import ThreadPoolExecutor

import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

PDF_RUNS = 5
BURST = 100  # notifications in flight at once


def deadline_scan() -> dict:
    """One run of every deadline scanner with 100,000 clocks past due, as the beat task runs it
    in a warm worker: its time (the office's notifications, sent on commit, included), the
    Python memory it peaked at, and how many clocks it acted on (a run takes a bounded batch;
    the next minute's run takes the next). The clocks are set running again afterwards, so
    every benchmark run scans the same."""
    from celery import current_app

    from core.deadlines import run_scanners
    from core.models import Delivery, OutboxJob
    from evaluation.models import Deadline

    current_app.loader.import_default_modules()  # the tasks a worker knows, for the outbox's resend
    # No worker delivers on the benchmark's database: what earlier runs queued would be sent
    # again by the scan (500 at a time) and timed with the clocks. A worker keeps up in production.
    Delivery.objects.filter(status=Delivery.Status.PENDING).update(status=Delivery.Status.SENT)
    OutboxJob.objects.filter(state=OutboxJob.State.PENDING).update(state=OutboxJob.State.DONE)
    due = Deadline.objects.filter(met_at__isnull=True, acted_at__isnull=True, due_on__lt=timezone.localdate())
    count = due.count()
    started = timezone.now()
    try:
        run_scanners()  # warm: URL patterns, notification templates, calendar, as in a running worker
        start = time.perf_counter()
        results = run_scanners()
        seconds = time.perf_counter() - start
        tracemalloc.start()
        run_scanners()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    finally:
        Deadline.objects.filter(acted_at__gte=started).update(acted_at=None)
        Deadline.objects.filter(reminded_at__gte=started).update(reminded_at=None)
    return {"due": count, "seconds": seconds, "peak_mb": peak / 2**20, "acted": results.get("evaluation.clocks")}


def certificate_pdfs() -> dict:
    """Seconds to render each certificate once warm (fonts and templates loaded): the
    median of a few renders, in the process that renders them (a Celery worker in production)."""
    from core.pdf import render_pdf
    from core.qrcodes import qr_svg
    from evaluation.certificates import check_url
    from evaluation.models import Evaluation
    from membership.certificates import render_certificate
    from membership.models import MembershipTerm

    term = MembershipTerm.objects.select_related("member__membership_type").order_by("pk").first()
    evaluation = Evaluation.objects.select_related("member", "programme").filter(
        state=Evaluation.State.PUBLISHED).order_by("pk").first()
    context = {"evaluation": evaluation, "qr": qr_svg(check_url(evaluation.certificate_no)),
               **evaluation.rules.certificate_context(evaluation)}
    renders = {
        "member certificate": lambda: render_certificate(term),
        "rating certificate": lambda: render_pdf(evaluation.rules.certificate_template, context),
        "rating plaque": lambda: render_pdf(evaluation.rules.plaque_template, context),
    }
    timings = {}
    for name, render in renders.items():
        render()  # cold: fonts and templates load once per process
        runs = []
        for _ in range(PDF_RUNS):
            start = time.perf_counter()
            render()
            runs.append(time.perf_counter() - start)
        timings[name] = statistics.median(runs)
    return timings


def wechat_notifications(base_url: str) -> dict:
    """100 new applicants' dues orders are paid at once: each order's signed notification is
    posted twice (WeChat retries), all 200 from 100 connections; then the bare view gets the same
    burst. Latency (p99) and throughput of both, and whether every order was paid exactly once
    (one notification record, one term)."""
    from membership.models import MembershipTerm
    from payments.models import Order, ReceivedNotification, SandboxTrade, WechatNotification
    from payments.sandbox import build_notification, transaction_resource

    orders = _paid_dues_orders(run=f"{timezone.now():%H%M%S}{secrets.randbelow(1000):03d}")
    notifications = [build_notification(transaction_resource(trade)) for trade in
                     SandboxTrade.objects.filter(out_trade_no__in=[o.out_trade_no for o in orders])]
    session = requests.Session()
    session.mount("http://", requests.adapters.HTTPAdapter(pool_connections=BURST, pool_maxsize=BURST))

    def post(notification):
        headers, body = notification
        start = time.perf_counter()
        response = session.post(f"{base_url}/payments/wechat/notify/", data=body, timeout=30,
                                headers={**headers, "Content-Type": "application/json"})
        return response.status_code, time.perf_counter() - start

    def bare(_):
        start = time.perf_counter()
        response = session.get(f"{base_url}/livez", timeout=30)
        return response.status_code, time.perf_counter() - start

    with ThreadPoolExecutor(BURST) as pool:
        start = time.perf_counter()
        answers = list(pool.map(post, notifications * 2))
        notify_seconds = time.perf_counter() - start
        start = time.perf_counter()
        ceiling = list(pool.map(bare, range(len(answers))))  # the bare view under the same burst
        bare_seconds = time.perf_counter() - start
    # A worker applies what the notify view kept (bench/load.py runs one during the burst).
    numbers = [o.out_trade_no for o in orders]
    for _ in range(600):
        if not ReceivedNotification.objects.filter(resource__out_trade_no__in=numbers, applied_at__isnull=True).exists():
            break
        time.sleep(0.2)
    paid = Order.objects.filter(pk__in=[o.pk for o in orders], state=Order.State.PAID).count()
    once = (paid == len(orders)
            and WechatNotification.objects.filter(order__in=orders).count() == len(orders)
            and MembershipTerm.objects.filter(order__in=orders).count() == len(orders))
    return {"requests": len(answers), "errors": sum(status != 204 for status, _ in answers),
            "p99_ms": _p99(answers), "bare_p99_ms": _p99(ceiling), "exactly_once": once,
            "rps": len(answers) / notify_seconds, "bare_rps": len(ceiling) / bare_seconds}


def _p99(answers) -> float:
    timings = sorted(seconds for _, seconds in answers)
    return timings[int(len(timings) * 0.99) - 1] * 1000


def _paid_dues_orders(*, run: str) -> list:
    """Approved applicants, each with an unpaid dues order that WeChat has recorded as paid."""
    from membership.models import Kind, Member, MembershipType
    from payments.models import Order, SandboxTrade

    unit_type = MembershipType.objects.get(name="会员单位")
    password = make_password(None)
    users = get_user_model().objects.bulk_create(
        get_user_model()(mobile=f"167{run[-6:]}{n:02d}"[:11], email=f"pay{run}{n}@bench.example",
                         name=f"缴费测试{run}-{n}", password=password) for n in range(BURST))
    members = Member.objects.bulk_create(
        Member(user=u, kind=Kind.UNIT, membership_type=unit_type, name=u.name, state=Member.State.APPROVED,
               credit_code=f"BENCH{run}{n:03d}"[:18], submitted_at=timezone.now()) for n, u in enumerate(users))
    member_type = ContentType.objects.get_for_model(Member)
    orders = Order.objects.bulk_create(
        Order(out_trade_no=f"N{run}{m.pk:010d}"[:32], payer_id=m.user_id, content_type=member_type, object_id=m.pk,
              description="会员单位会费（1年）", amount=2000, method="wechat", invoice_title=m.name,
              invoice_tax_id=m.credit_code, invoice_email=m.user.email, invoice_mobile=m.user.mobile,
              expires_at=timezone.now() + dt.timedelta(hours=2)) for m in members)
    SandboxTrade.objects.bulk_create(
        SandboxTrade(out_trade_no=o.out_trade_no, description=o.description, total_fen=200000, trade_state="SUCCESS",
                     transaction_id=f"4200{run}{o.pk:012d}"[:32]) for o in orders)
    return orders
