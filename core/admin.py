from django.contrib import admin

from .admin_records import RecordAdminMixin
from .models import CalendarOverride, ConfirmedCalendarYear, Delivery, Message, OutboxJob


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "name")
    list_filter = ("kind",)
    search_fields = ("name",)
    date_hierarchy = "date"


@admin.register(ConfirmedCalendarYear)
class ConfirmedCalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "note", "created_at")


@admin.register(Message)
class MessageAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("subject", "recipient", "created_at", "read_at")
    list_select_related = ("recipient",)
    search_fields = ("subject", "recipient__mobile", "recipient__name")
    readonly_fields = [f.name for f in Message._meta.fields]


@admin.register(Delivery)
class DeliveryAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "channel", "address", "subject", "status", "attempts", "sent_at")
    list_filter = ("channel", "status")
    search_fields = ("address", "subject", "template")
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutboxJob)
class OutboxJobAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "task", "args", "state", "attempts", "enqueued_at", "done_at")
    list_filter = ("state", "task")
    readonly_fields = [f.name for f in OutboxJob._meta.fields]

    def has_change_permission(self, request, obj=None):
        return False
