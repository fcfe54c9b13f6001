from django.db.models import QuerySet

from .models import Message


def inbox_messages(*, user) -> QuerySet[Message]:
    """A user's in-site messages, newest first."""
    return Message.objects.filter(recipient=user).only(
        "id", "subject", "created_at", "read_at", "attachment", "url"
    )
