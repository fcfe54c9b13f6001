"""Every admin page staff use renders with the demo data in it."""
import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_every_changelist_and_change_page_renders_for_the_superuser(client, demo):
    user = User.objects.get(mobile="13800000000")
    client.force_login(user)
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        assert client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200, info
        obj = model.objects.order_by("pk").last()
        if obj is not None:
            assert client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk])).status_code == 200, info


def test_demo_has_a_member_in_every_state_and_their_logins_work(client, demo):
    from membership.models import Member

    states = set(Member.objects.values_list("state", flat=True))
    assert {"submitted", "returned", "rejected", "approved", "active", "expired", "suspended"} <= states
    active = Member.objects.filter(state="active").first()
    assert active.terms.get().certificate
    awaiting = Member.objects.get(user__mobile="13900000006")
    assert awaiting.user.orders.get().state == "awaiting_verification"
    client.post(reverse("account_login"), {"login": "13900000005", "password": "portal-demo-2026"})
    assert "会员资格有效" in client.get(reverse("membership:centre")).content.decode()


def test_demo_has_an_evaluation_in_every_state(demo):
    from evaluation.models import Evaluation

    assert set(Evaluation.objects.values_list("state", flat=True)) == set(Evaluation.State.values)
    published = Evaluation.objects.get(state="published")
    assert published.certificate and published.plaque
