"""Form rendering shared by every app: Bootstrap 5 markup, each error next to its field."""
from django.forms.renderers import TemplatesSetting


class BootstrapFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
