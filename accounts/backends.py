"""The sign-in backend: allauth's, with the signed-in person's row kept between requests.

Every signed-in request loads its account. The row is kept by core.fragments until the
accounts table is written (a password change, a deactivation, a sign-in's last_login), so the
session's password check and ``is_active`` always see the current row; a staff member's
permissions are kept with it until a group or permission table is written.
"""
from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend

from core.fragments import cached_value


class AuthenticationBackend(AllauthBackend):
    def get_user(self, user_id):
        return cached_value("user", user_id, lambda: self._load(user_id))

    def _load(self, user_id):
        user = super().get_user(user_id)
        if user is not None and user.is_staff:
            # Staff pages check permissions on every request: the backend's permission cache
            # is kept with the row, and the permission tables read here count as its sources.
            self.get_all_permissions(user)
        return user
