"""Which content each public page shows, named as dependencies, and which pages a change touches.

Dependencies are short strings:

============== ==========================================================================
``entry:<id>``   the entry's page (with its conversation)
``blog:<slug>``  the blog's page and its tag, archive and feed pages
``blogger:<slug>`` the blogger's profile page and feeds
``tag:<slug>``   the network-wide tag page and feeds
``month:YYYY-MM`` / ``year:YYYY`` the network archive pages
``home``, ``feeds``, ``sitemap``, ``lists`` (tag index, archive index, blogger list, blog
                 index, mission pages)
``site``         every page (a blog's or blogger's own details changed, or a bulk import)
============== ==========================================================================

A page not listed here is never stored in the page cache: caching is opt-in per address.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

# Network-wide pages that list entries: any entry change refreshes them.
NETWORK = ("home", "feeds", "sitemap", "lists")

# Named routes that may be cached, and what they depend on, from the route's arguments.
ROUTE_DEPENDENCIES: dict[str, Any] = {
    "blogs:network_rss": lambda kw: ["feeds"],
    "blogs:network_atom": lambda kw: ["feeds"],
    "blogs:language_rss": lambda kw: ["feeds"],
    "blogs:language_atom": lambda kw: ["feeds"],
    "blogs:blog_language_rss": lambda kw: [f"blog:{kw['blog']}"],
    "blogs:blog_language_atom": lambda kw: [f"blog:{kw['blog']}"],
    "blogs:tag_index": lambda kw: ["lists"],
    "blogs:tag_detail": lambda kw: [f"tag:{kw['tag']}"],
    "blogs:tag_rss": lambda kw: [f"tag:{kw['tag']}"],
    "blogs:tag_atom": lambda kw: [f"tag:{kw['tag']}"],
    "blogs:archive_index": lambda kw: ["lists"],
    "blogs:archive_year": lambda kw: [f"year:{kw['year']}"],
    "blogs:archive_month": lambda kw: [f"month:{kw['year']}-{kw['month']}"],
    "blogs:blogger_list": lambda kw: ["lists"],
    "blogs:blogger_detail": lambda kw: [f"blogger:{kw['slug']}"],
    "blogs:blogger_rss": lambda kw: [f"blogger:{kw['slug']}"],
    "blogs:blogger_atom": lambda kw: [f"blogger:{kw['slug']}"],
    "blogs:blog_rss": lambda kw: [f"blog:{kw['blog']}"],
    "blogs:blog_atom": lambda kw: [f"blog:{kw['blog']}"],
    "blogs:blog_tag_detail": lambda kw: [f"blog:{kw['blog']}"],
    "blogs:blog_archive_index": lambda kw: [f"blog:{kw['blog']}"],
    "blogs:blog_archive_year": lambda kw: [f"blog:{kw['blog']}"],
    "blogs:blog_archive_month": lambda kw: [f"blog:{kw['blog']}"],
    "missions:detail": lambda kw: ["lists"],
    "sitemap": lambda kw: ["sitemap"],
    "robots_txt": lambda kw: [],
}

PAGE_ATTRIBUTE = "_dragoman_served_page"


def page_dependencies(page: Any) -> list[str]:
    """What a Wagtail page shows, by its type."""
    from dragoman.blogs.models import BlogIndexPage, BlogPage, EntryPage, HomePage

    if isinstance(page, EntryPage):
        return [f"entry:{page.pk}"]
    if isinstance(page, BlogPage):
        return [f"blog:{page.slug}"]
    if isinstance(page, HomePage):
        return ["home"]
    if isinstance(page, BlogIndexPage):
        return ["lists"]
    # Any other page changes only when it is itself published, which empties the cache.
    return []


def request_dependencies(request: HttpRequest) -> list[str] | None:
    """The dependencies of the page this request rendered; None if it must not be cached."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    page = getattr(request, PAGE_ATTRIBUTE, None)
    if page is not None:
        return page_dependencies(page)
    rule = ROUTE_DEPENDENCIES.get(match.view_name)
    if rule is None:
        return None
    return list(rule(match.kwargs))


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

    def dependencies(self) -> set[str]:
        deps = {f"entry:{self.entry_id}", *NETWORK}
        if self.blog_slug:
            deps.add(f"blog:{self.blog_slug}")
        deps.update(f"blogger:{slug}" for slug in self.blogger_slugs)
        deps.update(f"tag:{slug}" for slug in self.tag_slugs)
        if self.date is not None:
            local = timezone.localtime(self.date)
            deps.add(f"month:{local:%Y-%m}")
            deps.add(f"year:{local:%Y}")
        return deps


def entry_footprint(entry_id: int) -> Footprint:
    """The entry as it is now in the database (not live if it is gone)."""
    from dragoman.blogs.models import BlogPage, EntryPage

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
    )


def neighbour_ids(footprint: Footprint) -> set[int]:
    """The entries whose pages link to this one as their previous or next entry: its
    neighbours on its blog, found as the entry page finds them."""
    from dragoman.blogs.models import BlogPage, EntryPage
    from dragoman.blogs.queries import entry_neighbours

    if footprint.blog_id is None or footprint.date is None:
        return set()
    # Where the entry was or is: the entry itself, moved since, is never its own neighbour.
    placed = EntryPage(pk=footprint.entry_id, date=footprint.date)
    blog = BlogPage(pk=footprint.blog_id)
    return {found.pk for found in entry_neighbours(placed, blog) if found is not None}
