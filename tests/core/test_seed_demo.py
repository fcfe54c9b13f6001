import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_a_superuser_and_one_user_per_role_and_prints_logins(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert User.objects.get(mobile="13800000000").is_superuser
    for group in ["会员部", "评价办公室", "财务", "网站编辑"]:
        member = Group.objects.get(name=group).user_set.get()
        assert member.is_staff and not member.is_superuser
        assert member.check_password("portal-demo-2026")
        assert member.mobile in out
    assert "portal-demo-2026" in out


def test_seed_demo_is_idempotent():
    call_command("seed_demo")
    count = User.objects.count()
    call_command("seed_demo")
    assert User.objects.count() == count


def test_seed_demo_is_refused_where_demo_data_is_not_allowed(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_the_demo_pool_is_realistic(demo):
    from django.utils import timezone

    from experts.models import Conflict, Expert
    from experts.selectors import drawable

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
