"""``{% url %}`` that reverses a name without arguments once per process.

Every page's header, menus and side navigation name a dozen fixed addresses; Django's tag
reverses each on every render (about a tenth of a signed-in page's time). An address without
arguments depends only on the name, the application namespace, the script prefix, the URLconf
and the language, so those make the key. Addresses with arguments are reversed as before.
Installed as a template builtin, it stands in for Django's tag everywhere.
"""
from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

register = template.Library()

_reversed: dict[tuple, str] = {}
_LIMIT = 2048  # names come from templates, but a variable could name anything


class FixedURLNode(URLNode):
    def render(self, context):
        if self.args or self.kwargs:
            return super().render(context)
        view_name = self.view_name.resolve(context)
        request = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None)
        if current_app is None:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        key = (view_name, current_app, get_script_prefix(), get_urlconf(), get_language())
        address = _reversed.get(key)
        if address is None:
            if not isinstance(view_name, str):
                return super().render(context)
            try:
                address = reverse(view_name, current_app=current_app)
            except Exception:  # noqa: BLE001 - Django's own tag decides what a failure shows
                return super().render(context)
            if len(_reversed) >= _LIMIT:
                _reversed.clear()
            _reversed[key] = address
        if self.asvar:
            context[self.asvar] = address
            return ""
        return conditional_escape(address) if context.autoescape else address


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    return FixedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
