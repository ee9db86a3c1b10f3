"""The language switcher, hreflang alternates and the Persian date, for every page's frame."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from dragoman.core import languages

register = template.Library()


def _page_with_versions(context: template.Context) -> Any:
    """The page being shown, when it is one that has language versions (an entry)."""
    page = context.get("page")
    return page if callable(getattr(page, "language_versions", None)) else None


@register.inclusion_tag("includes/language_alternates.html", takes_context=True)
def language_alternates(context: template.Context) -> dict[str, Any]:
    """<link rel="alternate" hreflang> for each version of the page and x-default.

    An entry's versions are its translations; any other page is the same list in each
    interface language. An entry without translations has none.
    """
    page = _page_with_versions(context)
    if page is not None:
        return {"alternates": page_alternates(page)}
    request = context.get("request")
    if request is None:
        return {"alternates": []}
    links = [
        (language.code, languages.absolute(languages.path_in_language(request.path, language.code)))
        for language in languages.interface_languages()
    ]
    if len({href for _code, href in links}) < len(links):
        return {"alternates": []}  # an address that does not resolve (a 404) has no versions
    default = languages.path_in_language(request.path, settings.LANGUAGE_CODE)
    links.append(("x-default", languages.absolute(default)))
    return {"alternates": links}


def page_alternates(page: Any) -> list[tuple[str, str]]:
    from dragoman.blogs import translations

    return translations.alternates(page)


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context: template.Context) -> dict[str, Any]:
    """A link per interface language to this page in it: for an entry, its translation in
    that language, or that language's home page when there is none."""
    request = context.get("request")
    page = _page_with_versions(context)
    current = get_language()
    links = []
    for language in languages.interface_languages():
        if page is not None:
            from dragoman.blogs import translations

            path = translations.switcher_path(page, language.code)
        elif request is not None:
            path = languages.path_in_language(request.get_full_path(), language.code)
            if path == request.get_full_path() and language.code != current:
                path = languages.home_path(language.code)
        else:
            path = languages.home_path(language.code)
        links.append({"language": language, "url": path, "current": language.code == current})
    return {"links": links}


@register.filter
def solar_date(value: date | datetime | None) -> SafeString:
    """On Persian pages, the Solar Hijri date to show beside the Gregorian one; elsewhere
    nothing."""
    if not value or get_language() != "fa":
        return mark_safe("")
    return format_html(' <span class="solar-date">({})</span>', languages.solar_date(value))
