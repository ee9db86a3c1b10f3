"""Reads about an entry's translations: its group, the address of each version, what is missing.

A translation group is an original entry plus the entries whose `translation_of` points at
it. Each version is read under the interface language that matches its own language when
there is one (/ar/... for Arabic), so that the whole page speaks one language.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import translation

from dragoman.core import languages
from dragoman.publishing.fragments import remembered

from .dependencies import LISTS
from .models import EntryPage, EntryQuerySet
from .queries import admin_pages_visible

# What building a version's address and language link needs, and nothing heavier.
VERSION_FIELDS = (
    "id",
    "title",
    "slug",
    "url_path",
    "path",
    "depth",
    "language",
    "translation_of_id",
)


def _live_entries() -> EntryQuerySet:
    from . import queries

    return queries.live_entries()


def language_versions(entry: EntryPage) -> list[EntryPage]:
    """The entry and its live translations, ordered by language code.

    Remembered on the entry, so that the language switcher, the hreflang links and the
    list of translations on the page share one query.
    """
    cached: list[EntryPage] | None = getattr(entry, "_language_versions", None)
    if cached is not None:
        return cached
    original_id = entry.original_id
    versions = (
        list(_live_entries().translation_group(original_id).only(*VERSION_FIELDS))
        if original_id is not None and not _known_alone(entry)
        else []
    )
    # A draft being previewed is not live, but is still the page being looked at.
    if all(version.pk != entry.pk for version in versions):
        versions.append(entry)
    versions.sort(key=lambda version: version.language)
    entry._language_versions = versions  # type: ignore[attr-defined]
    return versions


def _known_alone(entry: EntryPage) -> bool:
    """True when the entry is an original that no live entry translates: most entries are,
    and they then need no look-up of their group."""
    if not settings.DRAGOMAN_FRAGMENT_CACHE or entry.translation_of_id is not None:
        return False
    return entry.pk not in translated_originals()


@remembered(lambda: [LISTS])  # every entry published, changed or withdrawn refreshes the lists
def translated_originals() -> frozenset[int]:
    """The ids of the entries that have at least one live translation."""
    return frozenset(
        _live_entries()
        .filter(translation_of__isnull=False)
        .order_by()
        .values_list("translation_of_id", flat=True)
        .distinct()
    )


def language_versions_prefetch(entries: Iterable[EntryPage]) -> None:
    """Fill in the versions of many entries at once (the sitemap lists them all)."""
    entries = list(entries)
    # Only entries that belong to a group need a look-up; the rest are alone.
    grouped = (
        _live_entries()
        .filter(Q(translation_of__isnull=False) | Q(translations__isnull=False))
        .distinct()
    )
    groups: dict[int, list[EntryPage]] = defaultdict(list)
    for version in grouped.only(*VERSION_FIELDS):
        groups[version.original_id or 0].append(version)
    for entry in entries:
        versions = list(groups.get(entry.original_id or 0, [])) or [entry]
        versions.sort(key=lambda version: version.language)
        entry._language_versions = versions  # type: ignore[attr-defined]


def entry_path(entry: EntryPage, *, language: str | None = None) -> str:
    """The entry's address under an interface language (by default, the one of its own)."""
    with translation.override(language or languages.reading_language(entry.language)):
        _site_id, _root_url, path = entry.get_url_parts()
    return path or ""


def entry_url(entry: EntryPage, *, language: str | None = None) -> str:
    return languages.absolute(entry_path(entry, language=language))


def original_of(versions: list[EntryPage]) -> EntryPage | None:
    return next((version for version in versions if version.translation_of_id is None), None)


def alternates(entry: EntryPage) -> list[tuple[str, str]]:
    """(hreflang, full URL) of each version, then x-default (the original); none when the
    entry has no translation."""
    versions = language_versions(entry)
    if len(versions) < 2:
        return []
    links = [(version.language, entry_url(version)) for version in versions]
    original = original_of(versions)
    if original is not None:
        links.append(("x-default", entry_url(original)))
    return links


def switcher_path(entry: EntryPage, language: str) -> str:
    """Where the language switcher takes a reader of this entry who picks `language`: the
    translation in that language, else this entry if it is written in it, else that
    language's home page."""
    for version in language_versions(entry):
        if version.language == language:
            return entry_path(version, language=language)
    return languages.home_path(language)


def sitemap_urls(entry: EntryPage) -> list[dict[str, Any]]:
    url: dict[str, Any] = {
        "location": entry_url(entry),
        "lastmod": entry.last_published_at or entry.latest_revision_created_at,
    }
    links = alternates(entry)
    if links:
        url["alternates"] = [{"lang_code": code, "location": href} for code, href in links]
    return [url]


def entries_lacking_translation(*, language: str, user: Any) -> EntryQuerySet:
    """Originals with no version in `language`, newest first: the editors' to-do list for
    that language. Drafts only of the blogs the user may edit (`admin_pages_visible`)."""
    originals = admin_pages_visible(user=user, pages=EntryPage.objects.all())
    return (
        originals.filter(translation_of__isnull=True)
        .exclude(language=language)
        .exclude(translations__language=language)
        .order_by("-date", "-pk")
    )


def missing_languages(entry: EntryPage) -> list[tuple[str, str]]:
    """The content languages (code, name) the entry's group has no version in yet."""
    original_id = entry.original_id
    taken = set(
        EntryPage.objects.translation_group(original_id).values_list("language", flat=True)
        if original_id is not None
        else []
    )
    taken.add(entry.language)
    return [(code, str(name)) for code, name in settings.CONTENT_LANGUAGES if code not in taken]
