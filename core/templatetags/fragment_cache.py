"""``{% fragment "name" [vary ...] %}…{% endfragment %}``: a page part kept by core.fragments.

On a miss the part is rendered with ``fragment_context`` pushed onto the context when the view
provides it: a callable returning a dict, so that the queries behind the part run only when it
has to be built. Values after the name are added to the cache key.
"""
from django import template

from core.fragments import cached_html

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, vary):
        self.nodelist, self.name, self.vary = nodelist, name, vary

    def render(self, context):
        def build():
            values = context.get("fragment_context")
            with context.push(**(values() if callable(values) else {})):
                return self.nodelist.render(context)

        return cached_html(context.request, self.name.resolve(context), build,
                           vary=[value.resolve(context) for value in self.vary])


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% fragment %} needs a name")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]])
