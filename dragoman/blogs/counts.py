"""How many visible entries each tag and each month has, network-wide and per blog.

"Visible" is the rule of `EntryPage.objects.visible()` for the anonymous public: the counts
are copies of what that rule lists, and are only ever computed from it (tags from the
rule over their taggings' copies, `EntryTag.objects.visible()`, which tag pages list).

Tag clouds, archive lists and the page counts of tag and archive pages read these counts;
counting every entry while a reader waits would make those pages slower as the network
grows. They are recounted exactly, key by key, when an entry changes (the publishing
services call `recount`), rebuilt whole after bulk writes (`rebuild`, also run daily by the
scheduler as a safety net: `dragoman pages-refresh --all` and `dragoman seed` call it too).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import Page

from .models import BlogPage, EntryPage, EntryTag, MonthCount, TagCount, entry_copies_write


def month_of(moment: datetime) -> date:
    """The first day of the moment's month in the site's time zone (as the archive shows it)."""
    return timezone.localtime(moment).date().replace(day=1)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The moments a month starts and ends in the site's time zone."""
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return (
        timezone.make_aware(datetime(month.year, month.month, 1)),
        timezone.make_aware(datetime(following.year, following.month, 1)),
    )


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The moments a year starts and ends in the site's time zone."""
    return (
        timezone.make_aware(datetime(year, 1, 1)),
        timezone.make_aware(datetime(year + 1, 1, 1)),
    )


def recount(
    *, tag_slugs: Iterable[str] = (), months: Iterable[date] = (), blog_ids: Iterable[int] = ()
) -> None:
    """Count again, exactly, these tags and months: network-wide and on each of these blogs.

    Tags are counted from their taggings' copies of the rule (`EntryTag.objects.visible()`,
    what tag pages list), all tags at once, network-wide from the tag's own index and per blog
    in one more grouped query. Counting `EntryPage.objects.visible().tagged(slug)` tag by tag
    and blog by blog read every tagged entry again for each: 68 % of a 10,000-entry import.
    """
    blogs = list(BlogPage.objects.filter(pk__in=set(blog_ids)).only("pk", "path", "depth"))
    scopes: list[BlogPage | None] = [None, *blogs]
    with transaction.atomic():
        tags = list(Tag.objects.filter(slug__in=set(tag_slugs)))
        if tags:
            taggings = EntryTag.objects.visible().filter(tag__in=tags).order_by()
            found: Counter[tuple[int, int | None]] = Counter()
            for tag_id, entries in taggings.values_list("tag_id").annotate(n=Count("pk")):
                found[(tag_id, None)] = entries
            in_blogs = taggings.filter(content_object__blog__in=blogs)
            for tag_id, blog_id, entries in in_blogs.values_list(
                "tag_id", "content_object__blog_id"
            ).annotate(n=Count("pk")):
                found[(tag_id, blog_id)] = entries
            _store(TagCount, "tag_id", [tag.pk for tag in tags], blogs, found)
        counted: Counter[tuple[date, int | None]] = Counter()
        for month in set(months):
            start, end = month_bounds(month)
            for blog in scopes:
                # The month's bounds first, as `queries.period_entries` gives them.
                entries = EntryPage.objects.filter(date__gte=start, date__lt=end).visible()
                if blog is not None:
                    entries = entries.for_blog(blog)
                counted[(month, blog.pk if blog is not None else None)] = entries.count()
        _store(MonthCount, "month", list(set(months)), blogs, counted)


def _store(
    model: type[TagCount] | type[MonthCount],
    field: str,
    values: Sequence[Any],
    blogs: Sequence[BlogPage],
    found: Mapping[tuple[Any, int | None], int],
) -> None:
    """Store these counts (nought: no row) for these tags or months, network-wide and on these
    blogs: the rows read in one query, the changed ones written in one more each."""
    if not values:
        return
    manager = model._default_manager
    rows = manager.filter(**{f"{field}__in": values}).filter(
        Q(blog__isnull=True) | Q(blog__in=blogs)
    )
    kept = {(getattr(row, field), row.blog_id): row for row in rows}
    changed: list[Any] = []
    gone: list[int] = []
    for value in values:
        for blog_id in [None, *(blog.pk for blog in blogs)]:
            entries, row = found.get((value, blog_id), 0), kept.get((value, blog_id))
            if row is not None and not entries:
                gone.append(row.pk)
            elif row is not None and row.entries != entries:
                row.entries = entries
                changed.append(row)
            elif row is None and entries:
                # New keys are few (a first entry for a tag or month): each made as before,
                # safe against another process making it at the same moment.
                manager.update_or_create(
                    **{field: value, "blog_id": blog_id}, defaults={"entries": entries}
                )
    if changed:
        manager.bulk_update(changed, ["entries"])
    if gone:
        manager.filter(pk__in=gone).delete()


def rebuild() -> bool:
    """Count every tag and month from scratch (after bulk writes; seconds at 100,000 entries).

    Returns whether any count changed.
    """
    entry_copies_write()  # the copies tag pages and profiles list by (kept by EntryPage.save)
    blog_by_path = dict(BlogPage.objects.values_list("path", "pk"))
    blog_of_entry: dict[int, int | None] = {}
    months: Counter[tuple[date, int | None]] = Counter()
    visible = EntryPage.objects.visible().values_list("pk", "path", "date")
    for entry_id, path, moment in visible.iterator():
        blog_id = blog_by_path.get(path[: -Page.steplen])
        blog_of_entry[entry_id] = blog_id
        month = month_of(moment)
        months[(month, None)] += 1
        if blog_id is not None:
            months[(month, blog_id)] += 1
    tags: Counter[tuple[int, int | None]] = Counter()
    for entry_id, tag_id in EntryTag.objects.values_list("content_object_id", "tag_id").iterator():
        if entry_id not in blog_of_entry:
            continue  # not visible: a draft, not yet due, or private
        tags[(tag_id, None)] += 1
        if blog_of_entry[entry_id] is not None:
            tags[(tag_id, blog_of_entry[entry_id])] += 1
    with transaction.atomic():
        unchanged = set(tags.items()) == {
            ((t, b), n) for t, b, n in TagCount.objects.values_list("tag_id", "blog_id", "entries")
        } and set(months.items()) == {
            ((m, b), n) for m, b, n in MonthCount.objects.values_list("month", "blog_id", "entries")
        }
        if unchanged:
            return False
        TagCount.objects.all().delete()
        MonthCount.objects.all().delete()
        TagCount.objects.bulk_create(
            [TagCount(tag_id=t, blog_id=b, entries=n) for (t, b), n in tags.items()],
            batch_size=2000,
        )
        MonthCount.objects.bulk_create(
            [MonthCount(month=m, blog_id=b, entries=n) for (m, b), n in months.items()],
            batch_size=2000,
        )
    return True
