"""Wagtail's image tags (`image`, `srcset_image`, `picture`), each node building its filters once.

Wagtail makes a new `Filter` for every spec at every render, and each one parses its
operations again, inspecting their signatures. A figure's `<picture>` (three formats at three
widths) has nine, which cost more than the rest of the figure. The specs are literal text in
the template, and a compiled template lives as long as the process, so the node keeps the
filters it built. Load this library instead of `wagtailimages_tags`; the tags' syntax and
output are Wagtail's own.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import Parser, Token
from wagtail.images.models import Filter
from wagtail.images.templatetags import wagtailimages_tags

register = template.Library()


def _image_tag(parser: Parser, token: Token) -> Any:
    node = wagtailimages_tags.image(parser, token)
    single = node.get_filter()
    several: list[Filter] | None = None

    def filters() -> list[Filter]:
        nonlocal several
        if several is None:
            several = node.__class__.get_filters(node)
        return several

    # The node's own methods, answered from what was built once for this compiled template.
    node.get_filter = lambda: single
    if hasattr(node, "get_filters"):
        node.get_filters = filters
    return node


for _name in ("image", "srcset_image", "picture"):
    register.tag(_name, _image_tag)
