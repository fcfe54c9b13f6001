"""Form rendering shared by every app: Bootstrap 5 markup, each error next to its field; and
file fields that keep what was uploaded before (a wizard's draft, core.staging)."""
from django.forms.renderers import TemplatesSetting


class BootstrapFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


class StagedUploadsMixin:
    """File fields that accept a new upload or keep the one already uploaded (in a draft, or staged).

    ``staged`` maps field name -> original file name of what is already kept. A field is
    required only when nothing is kept for it.
    """

    upload_fields: tuple[str, ...] = ()

    def __init__(self, *args, staged: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.upload_fields:
            self.fields[name].required = False
            self.fields[name].marked_required = True  # shown with "*": one file is needed
        self.show_staged(staged or {})

    def show_staged(self, staged: dict[str, str]) -> None:
        self.staged = staged
        for name in self.upload_fields:
            if name in staged:
                text = f"已上传：{staged[name]}（如需更换，请重新选择文件）"
                # A bound field copies its help text when first used (e.g. by validation).
                self.fields[name].help_text = self[name].help_text = text

    def clean(self):
        cleaned = super().clean()
        for name in self.upload_fields:
            if not cleaned.get(name) and name not in self.staged and name not in self.errors:
                self.add_error(name, f"请上传{self.fields[name].label}。")
        return cleaned
