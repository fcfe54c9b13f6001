"""Admin pages for records that services create and nothing deletes.

Applications, orders, invoices, messages… are made by the site's workflows and are kept for
good (nothing an institution submitted is hard-deleted), so the admin neither adds nor deletes
them; staff act on them through workflow buttons (core.admin_transitions).
"""
from django.contrib import admin
from django.utils import timezone
from django_fsm_log.admin import StateLogInline

from .models import HistoryEntry


class RecordAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # A record whose state leaves nothing to edit (here or in its inlines) offers no 保存.
        if not add and not _has_editable_fields(context):
            context.update(show_save=False, show_save_and_continue=False, show_save_and_add_another=False,
                           show_save_as_new=False)
        return super().render_change_form(request, context, add, change, form_url, obj)


def _has_editable_fields(context) -> bool:
    if context["adminform"].form.fields:
        return True
    for inline in context.get("inline_admin_formsets", ()):
        formset = inline.formset
        fk = getattr(formset, "fk", None)
        skip = {"id", "DELETE", getattr(fk, "name", None), "content_type", "object_id"}
        if any(name not in skip for form in formset.forms for name in form.fields):
            return True
    return False


class ReadOnlyInline(admin.StackedInline):
    """Records shown under their parent that the admin neither adds, changes nor deletes."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class HistoryInline(StateLogInline):
    """The transition log (django-fsm-log) as staff read it: local time, the step in the
    workflow's own words (from state → to state), who, and why."""

    model = HistoryEntry
    verbose_name = "办理记录"
    verbose_name_plural = "办理记录"
    fields = ("when", "step", "who", "why")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by", "content_type")

    @admin.display(description="时间")
    def when(self, log):
        return f"{timezone.localtime(log.timestamp):%Y-%m-%d %H:%M}"

    @admin.display(description="办理环节")
    def step(self, log):
        labels = _state_labels(log.content_type.model_class())
        source, target = labels.get(log.source_state, log.source_state), labels.get(log.state, log.state)
        return target if source == target else f"{source} → {target}"

    @admin.display(description="操作人")
    def who(self, log):
        return log.by.get_full_name() if log.by else "系统（自动）"

    @admin.display(description="说明")
    def why(self, log):
        return log.description or "—"


def _state_labels(model) -> dict[str, str]:
    field = next((f for f in model._meta.concrete_fields if f.name == "state"), None)
    return dict(field.choices or ()) if field is not None else {}
