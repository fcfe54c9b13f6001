from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .selectors import UNREAD_KEY, unread_count


def unread_of(request) -> int:
    """The signed-in person's unread count (cached per person), 0 for a visitor."""
    user = getattr(request, "user", None)
    return unread_count(user=user) if user is not None and user.is_authenticated else 0


def unread_key_of(request) -> str | None:
    """Where the signed-in person's unread count is cached (None for a visitor)."""
    user = getattr(request, "user", None)
    return UNREAD_KEY.format(user.pk) if user is not None and user.is_authenticated else None


def site(request):
    """Site-wide values for the base layout; the unread count is cached per person, and read
    only by a page that shows it (a task page without the navigation makes no round trip)."""
    return {
        "site_name": settings.SITE_NAME,
        "site_icp": settings.SITE_ICP,
        "site_contact": settings.SITE_CONTACT,
        "unread_message_count": SimpleLazyObject(lambda: unread_of(request)),
        "wechat_login": settings.WECHAT_LOGIN,
        # Inside WeChat's browser the QR page cannot open; the official account's page can.
        "wechat_way": _wechat_way(request),
    }


def _wechat_way(request) -> str:
    """The WeChat provider that works in this browser ("" when none is configured for it)."""
    in_wechat = "MicroMessenger" in request.META.get("HTTP_USER_AGENT", "")
    wanted = "weixin_mp" if in_wechat else "weixin"
    return wanted if wanted in settings.WECHAT_LOGIN_PROVIDERS else ""
