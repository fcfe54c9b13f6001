"""Page access shared by the apps that serve members.

``member_required`` lets a view run only for a signed-in member and hands it that member
(their own record, never another's). Which record belongs to an account is membership's
business: it registers the lookup in its AppConfig.ready() (``register_member_lookup``), so
core imports no feature app.
"""
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

_member_lookup: Callable | None = None
_join_url = "membership:join"


def register_member_lookup(lookup: Callable, *, join_url: str) -> None:
    global _member_lookup, _join_url
    _member_lookup, _join_url = lookup, join_url


def member_required(view):
    """Signed in and a member: the view receives ``member`` (its own, never another's)."""
    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        member = _member_lookup(user=request.user)
        if member is None:
            messages.info(request, "您的账号尚未注册会员。")
            return redirect(_join_url)
        return view(request, member, *args, **kwargs)
    return wrapped
