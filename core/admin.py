from django.contrib import admin
from django.utils.html import format_html

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
    readonly_fields = [f.name if f.name != "template" else "template_code" for f in Delivery._meta.fields]
    exclude = ("template",)

    @admin.display(description="通知模板")
    def template_code(self, obj):
        return format_html("<code>{}</code>", obj.template)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutboxJob)
class OutboxJobAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "task_code", "args", "state", "attempts", "enqueued_at", "done_at")
    list_filter = ("state",)
    search_fields = ("task",)
    # Task names and keys are the program's identifiers: shown as code, not as words.
    readonly_fields = [{"task": "task_code", "key": "key_code"}.get(f.name, f.name) for f in OutboxJob._meta.fields]
    exclude = ("task", "key")

    @admin.display(description="后台任务（程序名称）", ordering="task")
    def task_code(self, obj):
        return format_html("<code>{}</code>", obj.task)

    @admin.display(description="任务标识")
    def key_code(self, obj):
        return format_html("<code>{}</code>", obj.key)

    def has_change_permission(self, request, obj=None):
        return False
