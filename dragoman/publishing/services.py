"""What happens when content changes: work out which public pages show it, refresh them.

Refreshing a page means making its stored copy stale (in every process, see ``pagecache``)
and, when a CDN is configured (``WAGTAILFRONTENDCACHE``), purging its addresses there. The
next reader gets a fresh render. Both happen after the transaction commits, so a reader
never gets a page re-rendered from data that was then rolled back.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from . import pagecache
from .dependencies import Footprint, entry_footprint, neighbour_ids
from .models import EntryFootprint

logger = logging.getLogger(__name__)

# Inside `refreshes_deferred()`, refreshes are only noted, and the whole site is refreshed once
# at the end: a bulk import of thousands of entries must not do the work thousands of times.
_deferred: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "dragoman_refreshes_deferred", default=None
)


@contextmanager
def refreshes_deferred() -> Iterator[None]:
    """Skip per-entry refreshes inside the block; refresh the whole site once at its end."""
    token = _deferred.set([])
    try:
        yield
    finally:
        noted = _deferred.get()
        _deferred.reset(token)
        if noted:
            listing_counts_rebuild()
            site_refresh()


def _footprint_load(entry_id: int) -> Footprint | None:
    row = EntryFootprint.objects.filter(entry_id=entry_id).first()
    if row is None:
        return None
    return Footprint(
        entry_id=entry_id,
        live=row.live,
        blog_id=row.blog_id,
        blog_slug=row.blog_slug,
        date=row.date,
        blogger_slugs=list(row.blogger_slugs),
        tag_slugs=list(row.tag_slugs),
        url_path=row.url_path,
    )


def _footprint_save(footprint: Footprint) -> None:
    if not footprint.live and footprint.blog_id is None:
        EntryFootprint.objects.filter(entry_id=footprint.entry_id).delete()
        return
    EntryFootprint.objects.update_or_create(
        entry_id=footprint.entry_id,
        defaults={
            "live": footprint.live,
            "blog_id": footprint.blog_id,
            "blog_slug": footprint.blog_slug,
            "date": footprint.date,
            "blogger_slugs": footprint.blogger_slugs,
            "tag_slugs": footprint.tag_slugs,
            "url_path": footprint.url_path,
        },
    )


def entry_pages_refresh(*, entry_id: int, came_due: bool = False) -> None:
    """Refresh every public page that shows the entry, as it was and as it is now.

    That is the entry's page, the pages of the entries just before and after it on its blog
    (they link to it by title), its blog, its bloggers, its tags, its archive month and
    year, the home page, the network lists, feeds and the sitemap. Call it after any change
    that readers see: publish, edit, unpublish, move, delete, an approved comment. Inside a
    transaction the refresh waits for the commit. The tag and month counts it changes are
    counted again at once. `came_due`: the entry's date has just passed (the scheduler), so
    it now joins the lists although nothing in it changed.
    """
    noted = _deferred.get()
    if noted is not None:
        noted.append(f"entry:{entry_id}")
        return
    before = _footprint_load(entry_id)
    now = entry_footprint(entry_id)
    dependencies = now.dependencies()
    neighbours = neighbour_ids(now)
    if before is not None:
        dependencies |= before.dependencies()
        if (before.blog_id, before.date) != (now.blog_id, now.date):
            neighbours |= neighbour_ids(before)
    dependencies.update(f"entry:{pk}" for pk in neighbours)
    # Its versions in other languages link to it ("This entry in other languages").
    dependencies.update(f"entry:{pk}" for pk in translation_ids(entry_id))
    _footprint_save(now)
    _listing_counts_refresh(before, now, everything=came_due)
    pages_refresh(dependencies=dependencies)


def _listing_counts_refresh(before: Footprint | None, now: Footprint, *, everything: bool) -> None:
    """Count again the tags and months the change can have moved, on the network and blogs."""
    from dragoman.blogs import counts

    def place(footprint: Footprint) -> tuple[bool, int | None, object]:
        listed = footprint.live and footprint.date is not None and footprint.date <= timezone.now()
        month = counts.month_of(footprint.date) if footprint.date else None
        return listed, footprint.blog_id, month

    footprints = [fp for fp in (before, now) if fp is not None]
    if everything or before is None or place(before) != place(now):
        tags = {slug for fp in footprints for slug in fp.tag_slugs}
        months = {counts.month_of(fp.date) for fp in footprints if fp.date}
    else:  # same place in the lists: only tags added or removed count
        tags = set(before.tag_slugs) ^ set(now.tag_slugs)
        months = set()
    if tags or months:
        blog_ids = {fp.blog_id for fp in footprints if fp.blog_id is not None}
        counts.recount(tag_slugs=tags, months=months, blog_ids=blog_ids)


DUE_CHECKED_KEY = "dragoman:due-checked-until"


def entries_due_refresh() -> int:
    """Refresh the pages of live entries whose date has passed since the last call; how many.

    An entry published with a future date is hidden from lists until then, and nothing
    changes in the database when the moment comes: `dragoman publish-scheduled` (every
    minute, from the scheduler or cron) calls this. The moment of the last call is kept in
    the shared cache; without it, the last day is looked at.
    """
    from dragoman.blogs.models import EntryPage

    store = pagecache.cache()
    until = timezone.now()
    since = store.get(DUE_CHECKED_KEY) or until - timedelta(days=1)
    due = EntryPage.objects.live().filter(date__gt=since, date__lte=until).values_list("pk")
    ids = [pk for (pk,) in due]
    for entry_id in ids:
        entry_pages_refresh(entry_id=entry_id, came_due=True)
    store.set(DUE_CHECKED_KEY, until, timeout=None)
    return len(ids)


def listing_counts_rebuild() -> None:
    """Count every tag and month again (after bulk writes); refresh every page if they moved."""
    from dragoman.blogs import counts

    if counts.rebuild():
        site_refresh()


def translation_ids(entry_id: int) -> set[int]:
    """The other entries of the entry's translation group (empty for a deleted entry)."""
    from dragoman.blogs.models import EntryPage

    original_id = (
        EntryPage.objects.filter(pk=entry_id).values_list("translation_of_id", flat=True).first()
        or entry_id
    )
    group = EntryPage.objects.translation_group(original_id).values_list("pk", flat=True)
    return set(group) - {entry_id}


def site_refresh() -> None:
    """Refresh every page: for changes seen everywhere (a blog's title, a blogger's name)."""
    pages_refresh(dependencies=[pagecache.SITE])


def pages_refresh(*, dependencies: Iterable[str]) -> None:
    """Make the pages that depend on these stale now (or when the transaction commits)."""
    dependencies = sorted(set(dependencies))

    def refresh() -> None:
        pagecache.bump(dependencies)
        if getattr(settings, "WAGTAILFRONTENDCACHE", None):
            frontend_cache_purge(dependencies=dependencies)

    # Now, so that this process (and a test) never serves the old page; and again after the
    # commit, because another process may have re-rendered from the old data in between.
    pagecache.bump(dependencies)
    transaction.on_commit(refresh)


def dependency_urls(dependency: str) -> list[str]:
    """The addresses (first pages, default language) that show a dependency, for a CDN."""
    kind, _, value = dependency.partition(":")
    names: list[tuple[str, dict[str, str]]] = []
    paths: list[str] = []
    if kind == "entry":
        from dragoman.blogs.models import EntryPage

        entry = EntryPage.objects.filter(pk=int(value)).first()
        row = EntryFootprint.objects.filter(entry_id=int(value)).first()
        if entry is not None and entry.url:
            paths.append(entry.url)
        elif row is not None and row.url_path:
            paths.append(row.url_path.removeprefix("/home"))
    elif kind == "blog":
        paths.append(f"/blogs/{value}/")
        names += [(name, {"blog": value}) for name in ("blog_rss", "blog_atom")]
        names.append(("blog_archive_index", {"blog": value}))
    elif kind == "blogger":
        names += [(n, {"slug": value}) for n in ("blogger_detail", "blogger_rss", "blogger_atom")]
    elif kind == "tag":
        names += [(n, {"tag": value}) for n in ("tag_detail", "tag_rss", "tag_atom")]
    elif kind == "month":
        year, month = value.split("-")
        names.append(("archive_month", {"year": year, "month": month}))
    elif kind == "year":
        names.append(("archive_year", {"year": value}))
    elif kind == "home" or kind == pagecache.SITE:
        paths.append("/")
    elif kind == "feeds":
        names += [("network_rss", {}), ("network_atom", {})]
    elif kind == "lists":
        names += [("tag_index", {}), ("archive_index", {}), ("blogger_list", {})]
        paths.append("/blogs/")
    elif kind == "sitemap":
        paths.append("/sitemap.xml")
    for name, kwargs in names:
        try:
            paths.append(reverse(f"blogs:{name}", kwargs=kwargs))
        except NoReverseMatch:
            continue
    urls = []
    for path in paths:
        urls.append(settings.BASE_URL + path)
        # The same page in each interface language lives under its prefix.
        if not path.startswith("/sitemap"):
            for code, _name in settings.LANGUAGES:
                if code != settings.LANGUAGE_CODE:
                    urls.append(f"{settings.BASE_URL}/{code}{path}")
    return urls


def frontend_cache_purge(*, dependencies: Iterable[str]) -> None:
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
