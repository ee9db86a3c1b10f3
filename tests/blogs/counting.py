"""The tag and month counts as kept, and as counted from scratch by the rule of what the
public may see: network-wide (None) and per blog."""

from collections import Counter

from dragoman.blogs import counts
from dragoman.blogs.models import BlogPage, EntryPage, EntryTag, MonthCount, TagCount


def counts_kept() -> tuple[Counter, Counter]:
    tags = Counter(
        {
            (slug, blog): n
            for slug, blog, n in TagCount.objects.values_list("tag__slug", "blog", "entries")
        }
    )
    months = Counter(
        {
            (month, blog): n
            for month, blog, n in MonthCount.objects.values_list("month", "blog", "entries")
        }
    )
    return tags, months


def counts_from_the_rule() -> tuple[Counter, Counter]:
    tags: Counter = Counter()
    months: Counter = Counter()
    for blog in [None, *BlogPage.objects.all()]:
        entries = EntryPage.objects.visible()
        if blog is not None:
            entries = entries.for_blog(blog)
        key = blog.pk if blog else None
        for moment in entries.values_list("date", flat=True):
            months[(counts.month_of(moment), key)] += 1
        for slug in EntryTag.objects.filter(content_object__in=entries).values_list(
            "tag__slug", flat=True
        ):
            tags[(slug, key)] += 1
    return tags, months
