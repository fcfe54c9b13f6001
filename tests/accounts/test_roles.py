import pytest
from django.contrib.auth.models import Group

from accounts import roles

pytestmark = pytest.mark.django_db


def _codes(group_name):
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def test_every_staff_role_exists_as_a_group():
    names = set(Group.objects.values_list("name", flat=True))
    assert {"会员部", "评价办公室", "财务", "网站编辑"} <= names


def test_roles_hold_exactly_their_declared_permissions():
    declared = roles.declared_role_permissions()
    for role, group_name in roles.ROLE_GROUP_NAMES.items():
        assert _codes(group_name) == declared[role]


def test_each_role_can_do_its_work_and_no_more():
    assert {"accounts.view_user", "accounts.change_user"} <= _codes("会员部")
    assert "payments.change_order" in _codes("财务")  # verifies bank transfers
    assert "payments.change_order" not in _codes("会员部")
    assert "core.change_calendaroverride" in _codes("评价办公室")
    assert "accounts.change_user" not in _codes("评价办公室")
    assert "accounts.change_user" not in _codes("财务")


def test_sync_removes_permissions_an_admin_added_by_hand_and_is_idempotent():
    from django.contrib.auth.models import Permission

    group = Group.objects.get(name="财务")
    group.permissions.add(Permission.objects.get(codename="delete_user"))
    roles.sync_role_permissions()
    roles.sync_role_permissions()
    assert _codes("财务") == roles.declared_role_permissions()[roles.FINANCE]
    assert "accounts.delete_user" not in _codes("财务")


def test_a_declaration_for_an_unknown_role_is_an_error(monkeypatch):
    from django.apps import apps

    config = apps.get_app_config("core")
    monkeypatch.setattr(config, "role_permissions", {"janitor": ["core.view_message"]}, raising=False)
    with pytest.raises(ValueError, match="janitor"):
        roles.declared_role_permissions()


def test_membership_staff_can_view_users_in_the_admin_but_not_calendar(client):
    from tests.accounts.factories import PASSWORD, UserFactory

    staff = UserFactory(is_staff=True)
    staff.groups.add(Group.objects.get(name="会员部"))
    client.post("/accounts/login/", {"login": staff.mobile, "password": PASSWORD})
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get("/admin/core/calendaroverride/").status_code == 403


def test_accounts_are_deactivated_never_deleted_and_keep_their_records(client):
    from django.urls import reverse

    from accounts.models import User
    from core.notifications import notification_send

    staff = User.objects.create_superuser(mobile="13800009999", email="root@example.cn", password="x-Strong-2026")
    leaver = User.objects.create_user(mobile="13800008888", email="leaver@example.cn", password="x-Strong-2026",
                                      is_staff=True)
    notification_send(template="announcement", user=leaver, context={"title": "通知", "body": "正文"},
                      channels=["site"])
    client.force_login(staff)
    assert client.get(reverse("admin:accounts_user_delete", args=[leaver.pk])).status_code == 403
    response = client.post(reverse("admin:accounts_user_changelist"),
                           {"action": "deactivate", "_selected_action": [leaver.pk]}, follow=True)
    assert "已停用 1 个账号" in response.content.decode()
    leaver.refresh_from_db()
    assert not leaver.is_active and leaver.messages.count() == 1
