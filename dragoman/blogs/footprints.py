"""Where an entry shows: its footprint, as it is now and as it was after its last change.

The action that changes an entry (``services.entry_changed``) compares the two: the pages of
both must be refreshed, and the tags and months of both counted again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from dragoman.core.changes import Dependency

from . import dependencies
from .models import BlogPage, EntryAuthor, EntryFootprint, EntryPage, EntryTag, is_visible


@dataclass
class Footprint:
    """Where an entry shows, at one moment: enough to refresh its pages after it is gone."""

    entry_id: int
    live: bool = False
    blog_id: int | None = None
    blog_slug: str = ""
    date: datetime | None = None
    blogger_slugs: list[str] = field(default_factory=list)
    tag_slugs: list[str] = field(default_factory=list)
    url_path: str = ""
    path: str = ""  # in the page tree: whether a private section holds it

    def dependencies(self) -> set[Dependency]:
        shown_on = {dependencies.entry(self.entry_id), *dependencies.NETWORK}
        if self.blog_slug:
            shown_on.add(dependencies.blog(self.blog_slug))
        shown_on.update(dependencies.blogger(slug) for slug in self.blogger_slugs)
        shown_on.update(dependencies.tag(slug) for slug in self.tag_slugs)
        if self.date is not None:
            shown_on.add(dependencies.month(self.date))
            shown_on.add(dependencies.year(self.date))
        return shown_on

    def listed(self) -> bool:
        """In the lists the public sees (and so in the counts): the rule, on the footprint's
        own facts."""
        return is_visible(live=self.live, date=self.date, path=self.path)


def current(entry_id: int) -> Footprint:
    """The entry as it is now in the database (not live if it is gone)."""
    entry = EntryPage.objects.filter(pk=entry_id).first()
    if entry is None:
        return Footprint(entry_id=entry_id)
    blog = BlogPage.objects.ancestor_of(entry).only("pk", "slug").first()
    return Footprint(
        entry_id=entry_id,
        live=entry.live,
        blog_id=blog.pk if blog else None,
        blog_slug=blog.slug if blog else "",
        date=entry.date,
        blogger_slugs=sorted(
            entry.entry_authors.values_list("blogger__slug", flat=True).distinct()
        ),
        tag_slugs=sorted(entry.tagged_items.values_list("tag__slug", flat=True)),
        url_path=entry.url_path,
        path=entry.path,
    )


def current_many(entry_ids: Sequence[int]) -> dict[int, Footprint]:
    """``current`` of many entries (a batch's), in five queries whatever their number."""
    entries = {
        row["pk"]: row
        for row in EntryPage.objects.filter(pk__in=entry_ids).values(
            "pk", "live", "date", "url_path", "path"
        )
    }
    # The blog is the entry's ancestor in the tree, as in ``current``: every prefix of each
    # entry's path asked at once.
    steplen = EntryPage.steplen
    prefixes = {
        row["path"][:end]
        for row in entries.values()
        for end in range(steplen, len(row["path"]), steplen)
    }
    blogs = {
        path: (pk, slug)
        for pk, path, slug in BlogPage.objects.filter(path__in=prefixes).values_list(
            "pk", "path", "slug"
        )
    }
    bloggers: dict[int, set[str]] = defaultdict(set)
    for entry_id, slug in EntryAuthor.objects.filter(entry_id__in=entries).values_list(
        "entry_id", "blogger__slug"
    ):
        bloggers[entry_id].add(slug)
    tags: dict[int, list[str]] = defaultdict(list)
    for entry_id, slug in EntryTag.objects.filter(content_object_id__in=entries).values_list(
        "content_object_id", "tag__slug"
    ):
        tags[entry_id].append(slug)
    found: dict[int, Footprint] = {}
    for entry_id in entry_ids:
        row = entries.get(entry_id)
        if row is None:
            found[entry_id] = Footprint(entry_id=entry_id)
            continue
        blog = next(
            (
                blogs[row["path"][:end]]
                for end in range(len(row["path"]) - steplen, 0, -steplen)
                if row["path"][:end] in blogs
            ),
            None,
        )
        found[entry_id] = Footprint(
            entry_id=entry_id,
            live=row["live"],
            blog_id=blog[0] if blog else None,
            blog_slug=blog[1] if blog else "",
            date=row["date"],
            blogger_slugs=sorted(bloggers[entry_id]),
            tag_slugs=sorted(tags[entry_id]),
            url_path=row["url_path"],
            path=row["path"],
        )
    return found


def recorded(entry_id: int) -> Footprint | None:
    """The footprint recorded after the entry's last change, if any."""
    row = EntryFootprint.objects.filter(entry_id=entry_id).first()
    return None if row is None else _from_row(row)


def recorded_many(entry_ids: Sequence[int]) -> dict[int, Footprint]:
    """``recorded`` of many entries, in one query: those with a footprint."""
    return {
        row.entry_id: _from_row(row)
        for row in EntryFootprint.objects.filter(entry_id__in=entry_ids)
    }


def _from_row(row: EntryFootprint) -> Footprint:
    return Footprint(
        entry_id=row.entry_id,
        live=row.live,
        blog_id=row.blog_id,
        blog_slug=row.blog_slug,
        date=row.date,
        blogger_slugs=list(row.blogger_slugs),
        tag_slugs=list(row.tag_slugs),
        url_path=row.url_path,
        path=row.path,
    )


_RECORDED_FIELDS = [
    "live",
    "blog_id",
    "blog_slug",
    "date",
    "blogger_slugs",
    "tag_slugs",
    "url_path",
    "path",
]


def record_many(footprints: Sequence[Footprint]) -> None:
    """``record`` of many entries: the rows made, changed or deleted in three queries."""
    gone = [f.entry_id for f in footprints if not f.live and f.blog_id is None]
    kept = {f.entry_id: f for f in footprints if f.live or f.blog_id is not None}
    if gone:
        EntryFootprint.objects.filter(entry_id__in=gone).delete()
    rows = list(EntryFootprint.objects.filter(entry_id__in=kept))
    for row in rows:
        footprint = kept.pop(row.entry_id)
        for name in _RECORDED_FIELDS:
            setattr(row, name, getattr(footprint, name))
    EntryFootprint.objects.bulk_update(rows, _RECORDED_FIELDS)
    EntryFootprint.objects.bulk_create(
        EntryFootprint(entry_id=f.entry_id, **{name: getattr(f, name) for name in _RECORDED_FIELDS})
        for f in kept.values()
    )


def record(footprint: Footprint) -> None:
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
            "path": footprint.path,
        },
    )


def neighbour_ids(footprint: Footprint) -> set[int]:
    """The entries whose pages link to this one as their previous or next entry: its
    neighbours on its blog, found as the entry page finds them."""
    from .queries import entry_neighbours

    if footprint.blog_id is None or footprint.date is None:
        return set()
    # Where the entry was or is: the entry itself, moved since, is never its own neighbour.
    placed = EntryPage(pk=footprint.entry_id, date=footprint.date)
    blog = BlogPage(pk=footprint.blog_id)
    return {found.pk for found in entry_neighbours(placed, blog) if found is not None}


def entry_pages(entry_id: int) -> set[Dependency]:
    """The pages that show the entry now: for changes to what hangs on it (its conversation)."""
    footprint = recorded(entry_id) or current(entry_id)
    return footprint.dependencies()
