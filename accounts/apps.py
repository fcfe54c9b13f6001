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
        from allauth.core.internal import ratelimit
        from django.core.cache import caches
        from django.utils.connection import ConnectionProxy

        from core.fragments import layout_input

        # allauth counts sign-in attempts in the default cache, which answers nothing while Redis
        # is down (its lock is never taken: every sign-in would be a 429). It counts in the
        # limits cache instead (core.limits_cache); tests/accounts prove sign-in through an outage.
        ratelimit.cache = ConnectionProxy(caches, "limits")

        post_migrate.connect(roles.sync_role_permissions, dispatch_uid="accounts.sync_roles")
        # The navigation follows the roles held in the session, not read by the request.
        layout_input(lambda request: sorted(roles.user_roles(request)))
