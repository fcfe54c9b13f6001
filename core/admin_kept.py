"""A changelist kept between visits (core.fragments) for the admin's busiest lists.

The office pages through the same lists all day; each page renders hundreds of cells. A
rendered changelist is kept per person, browser and address until a table it was built from
is written. The view permission is checked on every request, kept page or not; a page with
messages waiting to be shown, an action (POST) or any answer but a rendered 200 is never kept.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from .fragments import cached_html


class KeptChangelistMixin:
    def changelist_view(self, request, extra_context=None):
        if request.method != "GET" or len(messages.get_messages(request)):
            return super().changelist_view(request, extra_context)
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        built = None

        def build():
            nonlocal built
            built = super(KeptChangelistMixin, self).changelist_view(request, extra_context)
            if built.status_code != 200 or not hasattr(built, "render"):
                return None
            return built.render().content.decode()

        html = cached_html(request, f"admin-changelist:{self.opts.label}", build)
        return built if built is not None else HttpResponse(html)
