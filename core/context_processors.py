from django.conf import settings

from .selectors import unread_count


def site(request):
    """Site-wide values for the base layout; the unread count is cached per person."""
    unread = 0
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        unread = unread_count(user=user)
    return {
        "site_name": settings.SITE_NAME,
        "site_icp": settings.SITE_ICP,
        "site_contact": settings.SITE_CONTACT,
        "unread_message_count": unread,
    }
