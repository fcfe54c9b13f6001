from django.apps import AppConfig


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
        # notifications registers its redelivery scanner on import.
        from . import deadlines, notifications, outbox  # noqa: F401
        from .downloads import register_downloadable
        from .models import Message

        register_downloadable(Message, ["attachment"])
        deadlines.discover()
