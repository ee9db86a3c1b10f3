"""The search page's most repeated markup written in Python: a facet's options, the form's
filters.


A results page lists some fifty facet options; through the template language, with three
tests and three values each, they took a sixth of the page's Python calls (bench/results/
2026-12-07-searchpage.md). The markup is what search/includes/facet.html gave, byte for
byte once compacted as our templates are when they load (core/template_loaders.py), the way
ListSelect writes a form's options (search/forms.py).
"""

from __future__ import annotations

from html import escape
from typing import Any

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from dragoman.core.markup import escaped
from dragoman.search.forms import FormChoices, SearchForm
from dragoman.search.queries import FacetOption

register = template.Library()


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
            f'<a href="{escape(option.url)}"{current}>{escaped(option.label)}</a>'
            f' <span class="search-facet__count">({escape(option.count_label)})</span>'
            f"{after}</li>"
        )
    # Every value is escaped above, as the template escaped it.
    return mark_safe("".join(items))  # noqa: S308


# The form's filters are the same markup on nearly every search (none is set): remembered by
# the choices they offer (per language, remembered until the site changes), the values sent
# and the fields in error. Through the template, with Django's BoundField for each of the
# nine fields, they cost a tenth of the page's Python calls.
_filters_markup: dict[tuple[Any, ...], tuple[FormChoices, SafeString]] = {}
UNSHOWN = ("q", "page")  # search/includes/search_form.html shows the query box itself


@register.simple_tag
def filter_fields(form: SearchForm) -> SafeString:
    """Each filter's <p> with its label and control, as the form's template wrote them."""
    names = [name for name in form.fields if name not in UNSHOWN]
    values = tuple(
        form.fields[name].widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
        for name in names
    )
    errors = tuple(name for name in names if name in form.errors)
    key = (id(form.prepared), form.is_bound, values, errors)
    held = _filters_markup.get(key)
    if held is not None and held[0] is form.prepared:
        return held[1]
    markup = mark_safe(  # noqa: S308 - every piece is escaped as the template escaped it
        "".join(
            '<p class="search-form__field"><label class="search-form__label"'
            f' for="{conditional_escape(field.id_for_label)}">{conditional_escape(field.label)}'
            f"</label> {field} </p>"  # the widget's markup, safe
            for field in (form[name] for name in names)
        )
    )
    if len(_filters_markup) >= 256:
        _filters_markup.clear()
    _filters_markup[key] = (form.prepared, markup)
    return markup
