from django.conf import settings


def site(request):
    """Site-wide values for the base layout; the unread count is one indexed query."""
    unread = 0
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        unread = user.messages.filter(read_at__isnull=True).count()
    return {
        "site_name": settings.SITE_NAME,
        "site_icp": settings.SITE_ICP,
        "site_contact": settings.SITE_CONTACT,
        "unread_message_count": unread,
    }
