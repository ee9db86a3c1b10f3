"""Reads every page's frame needs: the network's name and description in a language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils.translation import get_language

from .models import NetworkName

# Where values every page shows are kept until the whole site changes: the page cache keeps
# them (publishing provides this from its AppConfig.ready); without it they are read each time.
_site_memory: list[Callable[[str, Callable[[], Any]], Any]] = []


def site_memory_provide(keep: Callable[[str, Callable[[], Any]], Any]) -> None:
    _site_memory[:] = [keep]


def _network_names_read() -> dict[str, tuple[str, str]]:
    return {
        language: (name, description)
        for language, name, description in NetworkName.objects.values_list(
            "language", "name", "description"
        )
    }


def network_names() -> dict[str, tuple[str, str]]:
    """(name, description) by interface language, as the digital team wrote them.

    Every page shows the name, so it is remembered until the whole site is refreshed (which
    saving the names does) rather than read on every render.
    """
    if not settings.DRAGOMAN_FRAGMENT_CACHE or not _site_memory:
        return _network_names_read()
    names: dict[str, tuple[str, str]] = _site_memory[0]("network-names", _network_names_read)
    return names


def network_identity(*, language: str | None = None) -> tuple[str, str]:
    """The network's (name, description) in this language (the current one by default).

    Each falls back to the default language's; the name then to DRAGOMAN_SITE_NAME, the
    description to nothing (the page then says what the interface says).
    """
    names = network_names()
    found = ["", ""]
    for code in (language or get_language(), settings.LANGUAGE_CODE):
        row = names.get(code, ("", ""))
        found = [found[0] or row[0], found[1] or row[1]]
    return found[0] or settings.SITE_NAME, found[1]


def network_name(*, language: str | None = None) -> str:
    return network_identity(language=language)[0]


def network_description(*, language: str | None = None) -> str:
    return network_identity(language=language)[1]
