"""Staff exports (django-import-export) checked like the changelist they come from.

An export needs the model's view permission and its own ``export_<model>`` permission
(IMPORT_EXPORT_EXPORT_PERMISSION_CODE), granted per role in each app's ``role_permissions``:
being staff is never enough.
"""
from import_export.admin import ExportMixin


class CheckedExportMixin(ExportMixin):
    def has_export_permission(self, request):
        return self.has_view_permission(request) and super().has_export_permission(request)
