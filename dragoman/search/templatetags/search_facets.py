"""A facet's options written in Python: the search page's most repeated markup.

A results page lists some fifty facet options; through the template language, with three
tests and three values each, they took a sixth of the page's Python calls (bench/results/
2026-12-07-searchpage.md). The markup is what search/includes/facet.html gave, byte for
byte once compacted as our templates are when they load (core/template_loaders.py), the way
ListSelect writes a form's options (search/forms.py).
"""

from __future__ import annotations

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from dragoman.search.queries import FacetOption

register = template.Library()


def label(text: str) -> str:
    """A label escaped as the template escapes a value (conditional_escape), without the
    wrapper that lets Django's escape take a lazy text: a label is text already."""
    return str(text.__html__()) if hasattr(text, "__html__") else escape(text)


@register.simple_tag
def facet_options(options: list[FacetOption]) -> SafeString:
    """The <li> of each option: a link that narrows to it, or widens again if selected."""
    state = ""
    items = []
    for option in options:
        if option.selected:
            if not state:
                remove = escape(gettext("selected: follow to remove"))
                state = f' <span class="search-facet__state">{remove}</span>'
            modifier, current, after = (
                " search-facet__option--selected",
                ' aria-current="true"',
                state,
            )
        else:
            modifier = current = after = ""
        items.append(
            f'<li class="search-facet__option{modifier}">'
            f'<a href="{escape(option.url)}"{current}>{label(option.label)}</a>'
            f' <span class="search-facet__count">({escape(option.count_label)})</span>'
            f"{after}</li>"
        )
    # Every value is escaped above, as the template escaped it.
    return mark_safe("".join(items))  # noqa: S308
