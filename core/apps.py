from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_delete, post_save


def _forget_unread(sender, instance, **kwargs):
    from .selectors import unread_count_forget

    unread_count_forget(instance.recipient_id)


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "公共服务"
    role_permissions = {
        "evaluation_office": [
            "core.view_calendaroverride", "core.add_calendaroverride",
            "core.change_calendaroverride", "core.delete_calendaroverride",
            "core.view_confirmedcalendaryear", "core.add_confirmedcalendaryear",
            "core.change_confirmedcalendaryear",
        ],
        "membership_staff": ["core.view_delivery"],
        "finance": ["core.view_delivery"],
    }

    def ready(self):
        # notifications, outbox and staging register their scanners on import.
        from . import deadlines, fragments, notifications, outbox, staging, tasks  # noqa: F401
        from .context_processors import unread_key_of, unread_of
        from .downloads import register_downloadable
        from .models import Message

        register_downloadable(Message, ["attachment"])
        # A message that arrives, or is removed, changes its recipient's unread count.
        post_save.connect(_forget_unread, sender=Message, dispatch_uid="core.unread.save")
        post_delete.connect(_forget_unread, sender=Message, dispatch_uid="core.unread.delete")
        deadlines.discover()
        # Every statement on every connection is watched, so kept page parts see all writes.
        connection_created.connect(fragments.watch_connection, dispatch_uid="core.fragments.watch")
        # The header's unread count comes from its own cache, not from the request's reads.
        fragments.layout_input(unread_of, cache_key=unread_key_of)
