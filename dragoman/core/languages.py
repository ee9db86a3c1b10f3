"""Languages and directions of the interface, and how an address reads in each language.

Two languages meet on every page: the interface language, which the reader picks by URL
prefix (/ar/, /fa/; English has none), and the content language of what is shown (an
entry's `language`). The document takes the interface's `lang` and `dir`; every fragment in
another language carries its own.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol
from urllib.parse import quote

import jdatetime
from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, reverse, translate_url
from django.utils import timezone, translation
from django.utils.translation import get_language_info

from dragoman.core.hosts import reader_url

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def direction(language: str) -> str:
    """'rtl' for Arabic, Persian, Hebrew, Urdu...; 'ltr' for the rest (and unknown codes)."""
    try:
        return "rtl" if get_language_info(language)["bidi"] else "ltr"
    except KeyError:
        return "ltr"


@dataclass(frozen=True)
class InterfaceLanguage:
    code: str
    name: str  # in the language itself ("العربية"), so a reader finds their own
    direction: str


def interface_languages() -> list[InterfaceLanguage]:
    return list(_interface_languages(tuple(code for code, _name in settings.LANGUAGES)))


@functools.cache
def _interface_languages(codes: tuple[str, ...]) -> tuple[InterfaceLanguage, ...]:
    return tuple(
        InterfaceLanguage(code, get_language_info(code)["name_local"], direction(code))
        for code in codes
    )


def is_interface_language(language: str) -> bool:
    return language in {code for code, _name in settings.LANGUAGES}


def reading_language(content_language: str) -> str:
    """The interface language in which content in `content_language` is best read: its own
    when the interface is translated into it, else the default (an entry in German is read
    with the English interface)."""
    return content_language if is_interface_language(content_language) else settings.LANGUAGE_CODE


def path_in_language(path: str, language: str) -> str:
    """The same address under another interface language: /blogs/ → /ar/blogs/."""
    return translate_url(path, language)


# Longer query strings are not carried over to the other languages' links.
MAX_KEPT_QUERY = 1024


def request_paths(request: HttpRequest) -> dict[str, str] | None:
    """The request's address in each interface language (query string kept), worked out
    once per request from the view it resolved to; None when it resolved to none.

    The language switcher and the hreflang links both need it, on every page: resolving
    the address once instead of once per language keeps this to a few reverse() calls.
    """
    cached: dict[str, str] | None = getattr(request, "_dragoman_language_paths", None)
    if cached is not None:
        return cached
    match = getattr(request, "resolver_match", None)
    if match is None or not match.view_name:
        return None
    query = kept_query(request)
    paths = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            try:
                path = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                return None
        paths[code] = f"{path}?{query}" if query else path
    request._dragoman_language_paths = paths  # type: ignore[attr-defined]
    return paths


# Whether a request's page may be stored and shared by the page cache: the cache says so (it
# registers its rule from its own AppConfig.ready); without one, nothing is shared.
_shared_page_rules: list[Callable[[HttpRequest], bool]] = []


def shared_page_rule_provide(rule: Callable[[HttpRequest], bool]) -> None:
    _shared_page_rules[:] = [rule]


def page_is_shared(request: HttpRequest) -> bool:
    return any(rule(request) for rule in _shared_page_rules)


def kept_query(request: HttpRequest) -> str:
    """The part of the request's query string that the other languages' links carry.

    A page the page cache may store is keyed by its path and `page` alone
    (`pagecache.page_key`), and every later reader gets its bytes: whatever else a visitor put
    in the address (`?utm_source=...`) must not be written into it, so such a page keeps only
    `page`. A page never stored (a search, the register's filters) keeps its whole query, so
    that switching language keeps the search.
    """
    if page_is_shared(request):
        number = request.GET.get("page", "")
        return f"page={quote(number)}" if number else ""
    query = request.META.get("QUERY_STRING", "")
    # A huge query (a pasted 10,000-character search) would be copied into every link.
    return "" if len(query) > MAX_KEPT_QUERY else query


def home_path(language: str) -> str:
    # Every page's language switcher links to the home pages: worked out once per process
    # (and address prefix, which a deployment under a sub-path sets).
    return _home_path(get_script_prefix(), language)


@functools.cache
def _home_path(script_prefix: str, language: str) -> str:
    with translation.override(language):
        return reverse("wagtail_serve", args=[""])


def absolute(path: str) -> str:
    """On the host the reader came by (a mirror, the onion service: ``core.hosts``)."""
    return reader_url(path)


def solar_date(value: date | datetime) -> str:
    """The Persian (Solar Hijri) calendar date in Persian words and digits: '۴ آذر ۱۴۰۵'."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    solar = jdatetime.date.fromgregorian(date=value)
    month = jdatetime.date.j_months_fa[solar.month - 1]
    return f"{solar.day} {month} {solar.year}".translate(PERSIAN_DIGITS)


class PageVersions(Protocol):
    """Whoever knows a page's versions in other languages (``blogs.translations``, for
    entries): the frame's language switcher and hreflang links ask it."""

    def alternates(self, page: Any) -> list[tuple[str, str]]: ...

    def switcher_path(self, page: Any, language: str) -> str: ...


_page_versions: list[PageVersions] = []


def page_versions_provide(provider: PageVersions) -> None:
    """Called from the providing app's ``AppConfig.ready``."""
    _page_versions[:] = [provider]


def page_versions() -> PageVersions:
    if not _page_versions:
        raise LookupError("No app provides pages' language versions (see page_versions_provide).")
    return _page_versions[0]
