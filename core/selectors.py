from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet

from .models import Message

# The header's unread count is asked on every signed-in page; it changes only when a message
# arrives or is read, so it is cached per person and forgotten then (after commit, so a page
# rendered meanwhile cannot put the old count back). The timeout bounds any other path.
UNREAD_KEY = "unread-count:{}"
UNREAD_SECONDS = 600


def inbox_messages(*, user) -> QuerySet[Message]:
    """A user's in-site messages, newest first."""
    return Message.objects.filter(recipient=user).only(
        "id", "subject", "created_at", "read_at", "attachment", "url"
    )


def unread_count(*, user) -> int:
    """How many of the person's in-site messages are unread (cached; see UNREAD_KEY)."""
    key = UNREAD_KEY.format(user.pk)
    count = cache.get(key)
    if count is None:
        count = Message.objects.filter(recipient=user, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_SECONDS)
    return count


def unread_count_forget(user_id: int) -> None:
    unread_counts_forget([user_id])


def unread_counts_forget(user_ids: list[int]) -> None:
    """Forget these people's cached unread counts, now and again after commit."""
    keys = [UNREAD_KEY.format(user_id) for user_id in set(user_ids)]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))
