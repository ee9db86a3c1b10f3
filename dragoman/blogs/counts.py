"""How many visible entries each tag and each month has, network-wide and per blog.

"Visible" is the rule of `EntryPage.objects.visible()` for the anonymous public: the counts
are copies of what that rule lists, and are only ever computed from it.

Tag clouds, archive lists and the page counts of tag and archive pages read these counts;
counting every entry while a reader waits would make those pages slower as the network
grows. They are recounted exactly, key by key, when an entry changes (the publishing
services call `recount`), rebuilt whole after bulk writes (`rebuild`, also run daily by the
scheduler as a safety net: `dragoman pages-refresh --all` and `dragoman seed` call it too).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import Page

from .models import BlogPage, EntryPage, EntryTag, MonthCount, TagCount, entry_tag_copies_write


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
    """Count again, exactly, these tags and months: network-wide and on each of these blogs."""
    blogs = list(BlogPage.objects.filter(pk__in=set(blog_ids)).only("pk", "path", "depth"))
    scopes: list[BlogPage | None] = [None, *blogs]
    with transaction.atomic():
        for tag in Tag.objects.filter(slug__in=set(tag_slugs)):
            for blog in scopes:
                entries = EntryPage.objects.visible().tagged(tag.slug)
                if blog is not None:
                    entries = entries.for_blog(blog)
                _store(TagCount, {"tag": tag, "blog": blog}, entries.count())
        for month in set(months):
            start, end = month_bounds(month)
            for blog in scopes:
                entries = EntryPage.objects.visible().filter(date__gte=start, date__lt=end)
                if blog is not None:
                    entries = entries.for_blog(blog)
                _store(MonthCount, {"month": month, "blog": blog}, entries.count())


def _store(model: type[TagCount] | type[MonthCount], key: dict[str, Any], entries: int) -> None:
    if entries:
        model._default_manager.update_or_create(**key, defaults={"entries": entries})
    else:
        model._default_manager.filter(**key).delete()


def rebuild() -> bool:
    """Count every tag and month from scratch (after bulk writes; seconds at 100,000 entries).

    Returns whether any count changed.
    """
    entry_tag_copies_write()  # the copies tag pages list by (kept by EntryPage.save)
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
