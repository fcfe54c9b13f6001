"""A changelist kept between visits (core.fragments) for the admin's busiest lists.

The office pages through the same lists all day; each page renders hundreds of cells. A
rendered changelist is kept per person, browser and address until a table it was built from
is written. The view permission is checked on every request, kept page or not; an action
(POST), a page with a message to show and any answer but a rendered 200 are never kept.
"""
from django.core.exceptions import PermissionDenied

from .fragments import cached_response


class KeptChangelistMixin:
    def changelist_view(self, request, extra_context=None):
        if request.method != "GET":
            return super().changelist_view(request, extra_context)
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return cached_response(request, f"admin-changelist:{self.opts.label}",
                               lambda: super(KeptChangelistMixin, self).changelist_view(request, extra_context))
