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
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from dragoman.core.hosts import main_origin, reader_origin
from dragoman.publishing.fragments import remember

register = template.Library()


class RememberedNode(template.Node):
    def __init__(
        self,
        name: FilterExpression,
        key: FilterExpression | None,
        dependencies: list[FilterExpression],
        nodelist: NodeList,
    ):
        self.name = name
        self.key = key
        self.dependencies = dependencies
        self.nodelist = nodelist

    def render(self, context: template.Context) -> SafeString:
        if not settings.DRAGOMAN_FRAGMENT_CACHE or _previewing(context):
            return self.nodelist.render(context)
        name = str(self.name.resolve(context))
        if self.key is not None:
            name = f"{name}|{self.key.resolve(context)}"
        dependencies = [str(dep.resolve(context)) for dep in self.dependencies]
        html = remember(
            f"html|{name}|{get_language()}{version_of_page()}",
            dependencies,
            lambda: str(self.nodelist.render(context)),
        )
        return mark_safe(html)  # noqa: S308 - the output of our own template, escaped there


def _previewing(context: template.Context) -> bool:
    """A preview (Wagtail marks its request) shows the editor's unsaved page: what was kept
    of the saved one would hide their changes, and the preview must not be kept either."""
    return bool(getattr(context.get("request"), "is_preview", False))


def version_of_page() -> str:
    """ "" on the main host's full pages; else the host and the address prefix (a text-only
    version's links differ), since a remembered part may hold addresses."""
    origin = reader_origin()
    prefix = get_script_prefix()
    if origin == main_origin() and prefix == "/":
        return ""
    return f"|{origin}|{prefix}"


@register.tag
def remembered(parser: Parser, token: Token) -> RememberedNode:
    """`{% remembered "name" [for key] ["dependency" ...] %}`: `for` keeps one copy per key
    (a blog's id, say) of a part that differs between them."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% remembered %} needs a name.")
    name, rest = bits[1], bits[2:]
    key = None
    if rest[:1] == ["for"]:
        if len(rest) < 2:
            raise template.TemplateSyntaxError("{% remembered name for %} needs a key.")
        key, rest = parser.compile_filter(rest[1]), rest[2:]
    nodelist = parser.parse(("endremembered",))
    parser.delete_first_token()
    return RememberedNode(
        parser.compile_filter(name), key, [parser.compile_filter(bit) for bit in rest], nodelist
    )
