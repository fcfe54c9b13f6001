"""Small template helpers for the portal's Bootstrap UI."""
from django import template

from core.downloads import file_url as _file_url
from core.uploads import UploadValidator

register = template.Library()

_WIDGET_CLASSES = {
    "checkbox": "form-check-input",
    "select": "form-select",
    "selectmultiple": "form-select",
    "nullbooleanselect": "form-select",
    "radioselect": "",
    "checkboxselectmultiple": "",
}


@register.simple_tag
def bs_widget(bound_field):
    """Render a bound field's widget with Bootstrap classes, the invalid state, and for
    uploads an ``accept`` hint taken from the field's UploadValidator."""
    widget_type = bound_field.widget_type
    classes = [_WIDGET_CLASSES.get(widget_type, "form-control")]
    if bound_field.errors:
        classes.append("is-invalid")
    existing = bound_field.field.widget.attrs.get("class", "")
    attrs = {"class": " ".join(c for c in [existing, *classes] if c)}
    if widget_type in ("file", "clearablefile"):
        for validator in bound_field.field.validators:
            if isinstance(validator, UploadValidator):
                attrs["accept"] = validator.accept
    return bound_field.as_widget(attrs=attrs)


@register.simple_tag
def file_url(obj, field_name):
    return _file_url(obj, field_name)


@register.inclusion_tag("components/status_badge.html")
def status_badge(label, tone="secondary"):
    return {"label": label, "tone": tone}


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def calendar_years_to_confirm(context) -> list[int]:
    """Years whose working days are still guessed, for the staff who confirm the calendar."""
    from django.utils import timezone

    from core.calendar import years_to_confirm

    request = context.get("request")
    if request is None or not request.user.has_perm("core.add_confirmedcalendaryear"):
        return []
    return years_to_confirm(timezone.localdate())


@register.simple_tag(takes_context=True)
def admin_queues(context):
    """The admin index's work queues for the signed-in staff member (core.admin_queues)."""
    from core.admin_queues import queues_for

    request = context.get("request")
    return queues_for(request.user) if request is not None else []
