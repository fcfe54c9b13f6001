import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import User
from evaluation.models import Evaluation

pytestmark = pytest.mark.django_db


def test_seed_demo_is_refused_where_demo_data_is_not_allowed(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_the_work_seeding_queues_is_done_by_the_seeding_not_left_for_the_worker(monkeypatch):
    """make run starts the worker after seeding: what the demo queues (certificates, receipts,
    notices, emails: several hundred jobs) runs when the seeding commits, in the seeding
    process, whatever the worker setting, so a new worker finds nothing to drain."""
    import types

    from celery import current_app

    from core.management.commands import seed_demo

    seen = []
    fake = types.SimpleNamespace(seed=lambda: seen.append(current_app.conf.task_always_eager) or [])
    monkeypatch.setattr(seed_demo, "import_module", lambda name: fake)
    eager, current_app.conf.task_always_eager = current_app.conf.task_always_eager, False
    try:
        call_command("seed_demo")
        assert seen and all(seen)  # every app's seeding (and its commit) ran with the work done in-process
        assert current_app.conf.task_always_eager is False  # and the setting is given back
    finally:
        current_app.conf.task_always_eager = eager


def test_emails_without_a_mail_server_are_kept_as_files_and_logged_in_one_line(settings, tmp_path, caplog):
    from django.core.mail import EmailMessage

    settings.EMAIL_BACKEND = "core.mail.KeptEmailBackend"
    settings.VAR_DIR = tmp_path
    message = EmailMessage("会员证书", "附件为会员证书。", to=["member@example.cn"])
    message.attach("证书.pdf", b"%PDF-1.4 " + b"x" * 50_000, "application/pdf")
    with caplog.at_level("INFO", logger="core.mail"):
        message.send()
    kept = list((tmp_path / "emails").iterdir())
    assert len(kept) == 1 and "会员证书" in kept[0].read_text(errors="ignore")
    lines = [r.getMessage() for r in caplog.records if r.name == "core.mail"]
    assert len(lines) == 1 and "member@example.cn: 会员证书 + 1 attachment(s)" in lines[0]
    assert len(lines[0]) < 300


def test_a_refused_request_is_logged_in_one_line_and_a_server_error_keeps_its_traceback():
    import logging
    import sys

    from django.conf import settings as django_settings

    from core.log_filters import RefusalsInOneLine

    assert "refusals_in_one_line" in django_settings.LOGGING["handlers"]["console"]["filters"]
    try:
        raise PermissionError("no")
    except PermissionError:
        info = sys.exc_info()
    refused = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Forbidden", (), info)
    refused.status_code = 403
    failed = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Server Error", (), info)
    failed.status_code = 500
    RefusalsInOneLine().filter(refused)
    RefusalsInOneLine().filter(failed)
    assert "Traceback" not in logging.Formatter().format(refused)
    assert "Traceback" in logging.Formatter().format(failed)


# Last in the module: the demo data, once seeded (the demo fixture runs seed_demo once), stays for
# the tests after it; these run seed_demo again on top of it.
def test_seed_demo_creates_a_superuser_and_one_user_per_role_and_prints_logins(demo, capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert User.objects.get(mobile="13800000000").is_superuser
    for group in ["会员部", "评价办公室", "财务", "网站编辑", "继教办", "团购办"]:
        member = Group.objects.get(name=group).user_set.get()
        assert member.is_staff and not member.is_superuser
        assert member.check_password("portal-demo-2026")
        assert member.mobile in out
    assert "portal-demo-2026" in out


def test_seed_demo_is_idempotent(demo):
    count = User.objects.count()
    call_command("seed_demo")
    assert User.objects.count() == count


def test_the_demo_pool_is_realistic(demo):
    from django.utils import timezone

    from experts.models import Conflict, Expert
    from experts.pool.selectors import drawable

    experts = Expert.objects.all()
    assert experts.count() >= 40
    assert experts.values("specialty").distinct().count() == 8 and experts.values("province").distinct().count() >= 6
    states = set(experts.values_list("state", flat=True))
    assert {"appointed", "expired", "dismissed", "applied", "returned"} <= states
    today = timezone.localdate()
    now_drawable = set(drawable(day=today).values_list("pk", flat=True))
    appointed = set(experts.filter(state="appointed").values_list("pk", flat=True))
    assert 25 <= len(now_drawable) < len(appointed)  # some are untrained
    import datetime as dt

    assert len(set(drawable(day=today + dt.timedelta(days=6)).values_list("pk", flat=True))) == len(now_drawable) - 1
    assert Conflict.objects.count() >= 3


def test_every_published_star_institution_of_the_demo_reads_its_form(client, demo):
    published = Evaluation.objects.filter(programme__kind="capability", state="published").select_related("member")
    assert published.count() >= 3
    for evaluation in published:
        client.force_login(evaluation.member.user)
        response = client.get(reverse("evaluation:form", args=[evaluation.pk]))
        page = response.content.decode()
        assert response.status_code == 200 and "以下为提交的内容" in page and evaluation.member.name in page


def test_the_demo_has_a_project_open_one_running_today_and_one_credited_with_certificates(client, demo):
    from django.utils import timezone

    from education.models import CreditCertificate, Project

    today = timezone.localdate()
    projects = Project.objects.order_by("starts_on")
    finished, running, upcoming = list(projects)
    assert upcoming.registration_open() and upcoming.member_fee < upcoming.fee
    assert running.state == "open" and running.sessions.filter(starts_at__date=today).exists()
    assert finished.state == "credited"
    certificates = CreditCertificate.objects.filter(award__project=finished, state="valid")
    assert certificates.count() == 3 and all(c.pdf for c in certificates)  # two participants and the lecturer
    nothing = finished.awards.get(credits=0)
    assert "低于项目要求的 80%" in nothing.reason
    client.force_login(User.objects.get(mobile="13600000001"))
    page = client.get(reverse("education:my_credits")).content.decode()
    assert certificates.get(award__user__mobile="13600000001").number in page


def test_the_demo_has_two_suppliers_an_open_round_and_a_closed_one_with_orders(client, demo):
    from django.utils import timezone

    from purchasing.models import PurchaseOrder, Round, Supplier

    assert set(Supplier.objects.values_list("user__mobile", "state")) == {
        ("13500000001", "approved"), ("13500000002", "submitted")}
    assert Supplier.objects.get(user__mobile="13500000001").products.count() >= 2
    open_round = Round.objects.get(state="published")
    assert open_round.is_open(timezone.now())
    closed = Round.objects.get(state="closed")
    orders = PurchaseOrder.objects.filter(round=closed)
    assert orders.exists() and all(order.pdf for order in orders)
    client.force_login(User.objects.get(mobile="13500000001"))
    assert orders.first().number in client.get(reverse("purchasing:supplier_centre")).content.decode()
