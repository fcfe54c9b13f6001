"""Admin pages for records that services create and nothing deletes.

Applications, orders, invoices, messages… are made by the site's workflows and are kept for
good (nothing an institution submitted is hard-deleted), so the admin neither adds nor deletes
them; staff act on them through workflow buttons (core.admin_transitions).
"""


class RecordAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
