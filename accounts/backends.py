"""The sign-in backend: allauth's, with the signed-in person's row kept between requests.

Every signed-in request loads its account. The row is kept by core.fragments until the
accounts table is written (a password change, a deactivation, a sign-in's last_login), so the
session's password check and ``is_active`` always see the current row.
"""
from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend

from core.fragments import cached_value


class AuthenticationBackend(AllauthBackend):
    def get_user(self, user_id):
        load = super().get_user
        return cached_value("user", user_id, lambda: load(user_id))
