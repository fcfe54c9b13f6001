"""Rate limits for anonymous endpoints that write or reveal (objections, the join wizard's
"already registered" checks, expert applications), counted per client address in the
shared cache by django-ratelimit.

The address is the one allauth's login limits use (ALLAUTH_TRUSTED_PROXY_COUNT decides
which X-Forwarded-For entry is the client), so every limit agrees behind the proxy.
"""
from allauth.account.adapter import get_adapter
from django_ratelimit.core import is_ratelimited

TOO_MANY = "操作过于频繁，请稍后再试。"


def client_address(group, request) -> str:
    return get_adapter(request).get_client_ip(request)


def over_limit(request, *, group: str, rate: str) -> bool:
    """Count this POST against ``rate`` (e.g. "10/h") for the client; true once it is over."""
    return is_ratelimited(request, group=group, key=client_address, rate=rate, method="POST", increment=True)


def form_over_limit(request, form, *, group: str, rate: str) -> bool:
    """Count this POST; once the client is over ``rate`` the bound ``form`` carries only the
    "too many" message (nothing its validation would have revealed) and True is returned."""
    if not over_limit(request, group=group, rate=rate):
        return False
    form.is_valid()
    form.errors.clear()
    form.add_error(None, TOO_MANY)
    return True
