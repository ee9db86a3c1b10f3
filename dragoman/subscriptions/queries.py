"""Reads: what a follow names, who follows an entry, what the digital team sees."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from dragoman.blogs.models import Blogger, BlogPage, EntryPage

from .models import BounceCount, Delivery, Follow, Subscriber

# A saved search follows an entry when the entry is among this many newest results.
SEARCH_DEPTH = 100
# Search parameters that do not change which entries a search finds.
_SEARCH_IGNORED = {"page", "sort"}


def _search_form(value: str) -> Any:
    from dragoman.search.forms import SearchForm

    return SearchForm(QueryDict(value))


def follow_value_canonical(*, kind: str, value: str) -> str | None:
    """The value a follow of ``kind`` keeps for what the form sent, or None if it names
    nothing that a reader can follow."""
    if len(value) > 500:
        return None
    if kind == Follow.Kind.BLOG:
        if not value.isdigit() or len(value) > 18:
            return None
        blog = BlogPage.objects.live().public().filter(pk=int(value)).first()
        return str(blog.pk) if blog else None
    if kind == Follow.Kind.BLOGGER:
        if not value.isdigit() or len(value) > 18:
            return None
        return value if Blogger.objects.filter(pk=int(value)).exists() else None
    if kind == Follow.Kind.TAG:
        from taggit.models import Tag

        tag = Tag.objects.filter(slug=value).first()
        return tag.slug if tag else None
    if kind == Follow.Kind.LANGUAGE:
        return value if value in dict(settings.CONTENT_LANGUAGES) else None
    if kind == Follow.Kind.SEARCH:
        form = _search_form(value)
        if not form.is_valid():
            return None
        from dragoman.search.queries import search_parameters

        parameters = {
            name: item
            for name, item in search_parameters(form).items()
            if name not in _SEARCH_IGNORED
        }
        if not parameters:
            return None
        return urllib.parse.urlencode(sorted(parameters.items()))
    return None


def follow_label(follow: Follow) -> str:
    """What a follow is, for a person: "Blog: Notes from Paris"."""
    kind, value = follow.kind, follow.value
    if kind == Follow.Kind.BLOG:
        blog = BlogPage.objects.filter(pk=int(value)).first() if value.isdigit() else None
        return _("Blog: %(name)s") % {"name": blog.title if blog else value}
    if kind == Follow.Kind.BLOGGER:
        blogger = Blogger.objects.filter(pk=int(value)).first() if value.isdigit() else None
        return _("Blogger: %(name)s") % {"name": blogger.display_name if blogger else value}
    if kind == Follow.Kind.TAG:
        return _("Tag: %(name)s") % {"name": value}
    if kind == Follow.Kind.LANGUAGE:
        name = dict(settings.CONTENT_LANGUAGES).get(value, value)
        return _("Entries in %(language)s") % {"language": name}
    query = QueryDict(value)
    return _("Search: %(query)s") % {
        "query": " · ".join(str(item) for _key, item in sorted(query.items()))
    }


def _search_follows_matching(entry: EntryPage) -> list[str]:
    """The saved searches (as kept in follows) that find this entry: each distinct search is
    run once, however many follow it."""
    from dragoman.search.engines import get_engine
    from dragoman.search.engines.base import SearchRequest
    from dragoman.search.parsing import parse_query

    values = (
        Follow.objects.filter(kind=Follow.Kind.SEARCH, confirmed_at__isnull=False)
        .values_list("value", flat=True)
        .distinct()
    )
    engine = None
    found = []
    for value in values:
        form = _search_form(value)
        if not form.is_valid():
            continue
        engine = engine or get_engine()
        results = engine.search(
            SearchRequest(
                query=parse_query(form.cleaned_data["q"]),
                filters=form.filters(),
                sort="date",
                limit=SEARCH_DEPTH,
                facets=False,
                highlight=False,
            )
        )
        if any(hit.entry_id == entry.pk for hit in results.hits):
            found.append(value)
    return found


def follow_condition(entry: EntryPage) -> Q:
    """The follows that this entry answers: its blog, bloggers, tags, language, searches."""
    blogger_ids = [str(pk) for pk in entry.entry_authors.values_list("blogger_id", flat=True) if pk]
    tag_slugs = list(entry.tags.values_list("slug", flat=True))
    condition = Q(kind=Follow.Kind.LANGUAGE, value=entry.language)
    if entry.blog_id:
        condition |= Q(kind=Follow.Kind.BLOG, value=str(entry.blog_id))
    if blogger_ids:
        condition |= Q(kind=Follow.Kind.BLOGGER, value__in=blogger_ids)
    if tag_slugs:
        condition |= Q(kind=Follow.Kind.TAG, value__in=tag_slugs)
    searches = _search_follows_matching(entry)
    if searches:
        condition |= Q(kind=Follow.Kind.SEARCH, value__in=searches)
    return condition


def subscribers_following(entry: EntryPage) -> list[int]:
    """The confirmed subscribers with a confirmed follow that this entry answers, once each."""
    return list(
        Follow.objects.filter(follow_condition(entry))
        .filter(confirmed_at__isnull=False, subscriber__status=Subscriber.Status.CONFIRMED)
        .values_list("subscriber_id", flat=True)
        .distinct()
        .order_by("subscriber_id")
    )


@dataclass(frozen=True)
class Overview:
    """The counts the digital team sees in the admin (no address among them)."""

    subscribers: dict[str, int]
    frequencies: dict[str, int]
    follows: dict[str, int]
    deliveries: dict[str, int]
    bounces_30_days: int
    complaints_30_days: int
    bounce_days: list[BounceCount]


def overview() -> Overview:
    subscribers = dict(
        Subscriber.objects.values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    frequencies = dict(
        Subscriber.objects.confirmed()
        .values("frequency")
        .annotate(n=Count("pk"))
        .values_list("frequency", "n")
    )
    follows = dict(
        Follow.objects.filter(confirmed_at__isnull=False)
        .values("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    deliveries = dict(
        Delivery.objects.values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    since = timezone.localdate() - timedelta(days=30)
    recent = BounceCount.objects.filter(day__gte=since)
    totals = dict(recent.values("kind").annotate(n=Sum("count")).values_list("kind", "n"))
    return Overview(
        subscribers={status: subscribers.get(status, 0) for status in Subscriber.Status.values},
        frequencies=frequencies,
        follows=follows,
        deliveries={status: deliveries.get(status, 0) for status in Delivery.Status.values},
        bounces_30_days=int(totals.get(BounceCount.Kind.BOUNCE, 0) or 0),
        complaints_30_days=int(totals.get(BounceCount.Kind.COMPLAINT, 0) or 0),
        bounce_days=list(recent.order_by("-day", "kind")[:60]),
    )
