"""The language switcher, hreflang alternates and the Persian date, for every page's frame."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info

from dragoman.core import languages
from dragoman.core.queries import network_name

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
    feeds = language_feeds()
    if page is not None:
        return {"alternates": page_alternates(page), **feeds}
    request = context.get("request")
    paths = languages.request_paths(request) if request is not None else None
    if request is None or not paths:
        return {"alternates": [], **feeds}
    # Like the canonical link, an alternate keeps only the page number of a paged list.
    number = request.GET.get("page")
    suffix = f"?page={quote(number)}" if number and number != "1" else ""
    links = [
        (code, languages.absolute(path.split("?")[0] + suffix)) for code, path in paths.items()
    ]
    default = paths[settings.LANGUAGE_CODE].split("?")[0] + suffix
    links.append(("x-default", languages.absolute(default)))
    return {"alternates": links, **feeds}


def language_feeds() -> dict[str, Any]:
    """Outside the default language, the feeds of entries written in the reader's language."""
    current = get_language()
    if current == settings.LANGUAGE_CODE or not languages.is_interface_language(current):
        return {}
    return {
        "SITE_NAME": network_name(),
        "feed_language": current,
        "feed_language_name": get_language_info(current)["name_local"],
        "feed_rss": reverse("blogs:language_rss", args=[current]),
        "feed_atom": reverse("blogs:language_atom", args=[current]),
    }


def page_alternates(page: Any) -> list[tuple[str, str]]:
    return languages.page_versions().alternates(page)


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context: template.Context) -> dict[str, Any]:
    """A link per interface language to this page in it: for an entry, its translation in
    that language, or that language's home page when there is none."""
    request = context.get("request")
    page = _page_with_versions(context)
    paths = None
    if page is None and request is not None:
        paths = languages.request_paths(request)
    current = get_language()
    links = []
    for language in languages.interface_languages():
        if page is not None:
            path = languages.page_versions().switcher_path(page, language.code)
        elif paths:
            path = paths[language.code]
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
