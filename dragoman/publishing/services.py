"""Refreshing public pages when what they show changes.

Refreshing a page means making its stored copy stale (in every process, see ``pagecache``)
and, when a CDN is configured (``WAGTAILFRONTENDCACHE``), purging its addresses there. The
next reader gets a fresh render.

Publishing listens to every ``ContentChanged`` announcement (``apps.py``): the changed
content's pages are marked stale at once, inside the change's transaction, so that this
process never serves the old page; and again after the commit, because another process may
have rendered the page from the old data in between. The CDN is purged after the commit
only, so that it never fetches a page rendered from data then rolled back.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings

from dragoman.core.changes import EVERY_PAGE, ContentChanged, Dependency, announce
from dragoman.core.hosts import clear_origins
from dragoman.core.textonly import TEXT_PREFIX

from . import pagecache, pagefiles
from .dependencies import dependency_paths

logger = logging.getLogger(__name__)


def content_changed_mark(announcement: ContentChanged) -> None:
    """In the change's transaction: the pages that show it are stale from now on, and their
    files (``pagefiles``) gone."""
    pagecache.bump(announcement.shown_on)
    pagefiles.forget(announcement.shown_on)


def content_changed_refresh(announcement: ContentChanged) -> None:
    """After the commit: stale again (another process may have rendered meanwhile), and
    purged from the CDN."""
    pagecache.bump(announcement.shown_on)
    pagefiles.forget(announcement.shown_on)
    if getattr(settings, "WAGTAILFRONTENDCACHE", None):
        frontend_cache_purge(dependencies=announcement.shown_on)


def site_refresh() -> None:
    """Refresh every page: after a release, a bulk import, or on an operator's demand. Heard
    as any change is, by the two listeners above."""
    announce(ContentChanged(shown_on=EVERY_PAGE))


def dependency_urls(dependency: Dependency | str) -> list[str]:
    """The full addresses, in every interface language, of the first pages that show a
    dependency: what a CDN must purge."""
    if isinstance(dependency, str):
        dependency = Dependency.parse(dependency)
    paths = []
    for path in dependency_paths(dependency):
        paths.append(path)
        # The same page in each interface language lives under its prefix.
        if not path.startswith("/sitemap"):
            for code, _name in settings.LANGUAGES:
                if code != settings.LANGUAGE_CODE:
                    paths.append(f"/{code}{path}")
    # Under every host name of the clear web (mirrors keep their own copies, as the page
    # cache does), and in the text-only version of each page.
    paths += [TEXT_PREFIX + path for path in paths if not path.startswith("/sitemap")]
    return [origin + path for origin in clear_origins() for path in paths]


def frontend_cache_purge(*, dependencies: Iterable[Dependency | str]) -> None:
    """Purge these pages from the CDN in front (Wagtail's front-end cache backends).

    Only first pages are purged: deeper pages of a list expire with DRAGOMAN_CDN_MAX_AGE.
    A ``site`` refresh cannot list every address, so it too relies on that expiry.
    """
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    batch = PurgeBatch()
    for dependency in dependencies:
        batch.add_urls(dependency_urls(dependency))
    try:
        batch.purge()
    except Exception:  # a CDN outage must never break publishing
        logger.exception("Purging the front-end cache failed")
