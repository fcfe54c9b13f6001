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
        from core.fragments import layout_input

        post_migrate.connect(roles.sync_role_permissions, dispatch_uid="accounts.sync_roles")
        # The navigation follows the roles held in the session, not read by the request.
        layout_input(lambda request: sorted(roles.user_roles(request)))
