"""`{% remembered "name" "dependency" ... %}...{% endremembered %}`: keep a rendered part.

For a costly part of a page that many pages or requests share and that depends only on
named content (the directory of bloggers, say), not on the request: its HTML is kept, per
interface language, until one of the dependencies (or the whole site) is refreshed. Data
the part needs can be passed as a callable, which the template calls only on a miss.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from dragoman.publishing.fragments import remember

register = template.Library()


class RememberedNode(template.Node):
    def __init__(
        self, name: FilterExpression, dependencies: list[FilterExpression], nodelist: NodeList
    ):
        self.name = name
        self.dependencies = dependencies
        self.nodelist = nodelist

    def render(self, context: template.Context) -> SafeString:
        if not settings.DRAGOMAN_FRAGMENT_CACHE:
            return self.nodelist.render(context)
        name = f"html|{self.name.resolve(context)}|{get_language()}"
        dependencies = [str(dep.resolve(context)) for dep in self.dependencies]
        html = remember(name, dependencies, lambda: str(self.nodelist.render(context)))
        return mark_safe(html)  # noqa: S308 - the output of our own template, escaped there


@register.tag
def remembered(parser: Parser, token: Token) -> RememberedNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% remembered %} needs a name.")
    nodelist = parser.parse(("endremembered",))
    parser.delete_first_token()
    return RememberedNode(
        parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]], nodelist
    )
