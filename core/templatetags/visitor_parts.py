"""``{% visitor_part "name" %}…{% endvisitor_part %}``: a part of the base layout that is the
same for every visitor, rendered once per process and reused.

A visitor's header and footer depend only on the site's content (menus, settings: the content
version the layout's context carries), the address (the active menu entry), the page's
template (which may fill the layout's blocks) and the day. Rendered afresh they cost about as
much as a built search page's results; for a page no cache can answer (a search nobody asked
before) that was a third of its time. Signed-in people, and a layout without a content version,
render it every time.
"""
from collections import OrderedDict

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe

register = template.Library()
KEPT = 512  # parts per process; the oldest go first
_kept: OrderedDict = OrderedDict()


class VisitorPartNode(template.Node):
    def __init__(self, nodelist, name: str):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        request, version = context.get("request"), context.get("content_version")
        user = getattr(request, "user", None)
        if request is None or version is None or user is None or user.is_authenticated:
            return self.nodelist.render(context)
        # str(): the context processor gives the version lazily (read only when a page shows it).
        key = (self.name, str(version), context.template.name, request.path, timezone.localdate())
        html = _kept.get(key)
        if html is None:
            html = self.nodelist.render(context)
            _kept[key] = html
            if len(_kept) > KEPT:
                _kept.popitem(last=False)
        return mark_safe(html)  # noqa: S308 - the template's own rendering, kept as it was


@register.tag
def visitor_part(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% visitor_part %} takes one name")
    nodelist = parser.parse(("endvisitor_part",))
    parser.delete_first_token()
    return VisitorPartNode(nodelist, bits[1].strip("\"'"))
