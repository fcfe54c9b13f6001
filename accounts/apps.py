from django.apps import AppConfig
from django.db.models.signals import post_migrate

from . import roles


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "账号与权限"
    role_permissions = {
        roles.MEMBERSHIP_STAFF: ["accounts.view_user", "accounts.change_user"],
        roles.EVALUATION_OFFICE: ["accounts.view_user"],
        roles.FINANCE: ["accounts.view_user"],
    }

    def ready(self):
        post_migrate.connect(roles.sync_role_permissions, dispatch_uid="accounts.sync_roles")
