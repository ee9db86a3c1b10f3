"""What the blogs' public pages show, named as dependencies, and where those pages live.

============== ==========================================================================
``entry(pk)``    the entry's page (with its conversation)
``blog(slug)``   the blog's page and its tag, archive and feed pages
``blogger(slug)`` the blogger's profile page and feeds
``tag(slug)``    the network-wide tag page and feeds
``month(moment)`` / ``year(n)`` the network archive pages
``HOME``, ``FEEDS``, ``SITEMAP``, ``LISTS`` (tag index, archive index, blogger list, blog
                 index, mission pages): network-wide pages that any entry's change refreshes
============== ==========================================================================

``register`` (called from ``BlogsConfig.ready``) tells the page cache which routes and page
types may be cached, what each shows, and where each kind's pages live for a CDN purge.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from dragoman.core.changes import Dependency

HOME = Dependency("home")
FEEDS = Dependency("feeds")
SITEMAP = Dependency("sitemap")
LISTS = Dependency("lists")
# Network-wide pages that list entries: any entry's change refreshes them.
NETWORK = (HOME, FEEDS, SITEMAP, LISTS)


def entry(pk: int | str) -> Dependency:
    return Dependency("entry", str(pk))


def blog(slug: str) -> Dependency:
    return Dependency("blog", slug)


def blogger(slug: str) -> Dependency:
    return Dependency("blogger", slug)


def tag(slug: str) -> Dependency:
    return Dependency("tag", slug)


def month(moment: datetime) -> Dependency:
    return Dependency("month", f"{timezone.localtime(moment):%Y-%m}")


def year(moment: datetime) -> Dependency:
    return Dependency("year", f"{timezone.localtime(moment):%Y}")


def picks_shown_on(page: Any) -> Dependency:
    """Where a home or blog page's picks show: the home page, or the blog's pages."""
    from .models import HomePage

    return HOME if isinstance(page, HomePage) else blog(page.slug)


def network_or_blog(*, blog: Any = None, **kwargs: Any) -> list[Dependency]:
    """Network-wide aggregates change with any entry; a blog's with its own entries."""
    return [Dependency("blog", blog.slug)] if blog is not None else [LISTS]


def _named_paths(names: list[str], **kwargs: str) -> list[str]:
    paths = []
    for name in names:
        try:
            paths.append(reverse(name, kwargs=kwargs))
        except NoReverseMatch:  # a key the route refuses: no such page to purge
            continue
    return paths


def _entry_paths(key: str) -> list[str]:
    from .models import EntryFootprint, EntryPage

    found = EntryPage.objects.filter(pk=int(key)).first()
    if found is not None and found.url:
        return [found.url]
    # A deleted entry: where it was.
    row = EntryFootprint.objects.filter(entry_id=int(key)).first()
    return [row.url_path.removeprefix("/home")] if row is not None and row.url_path else []


def _month_paths(key: str) -> list[str]:
    year_, month_ = key.split("-")
    return _named_paths(["blogs:archive_month"], year=year_, month=month_)


def register() -> None:
    from dragoman.publishing.dependencies import addresses, cacheable_page_type, cacheable_route

    from .models import BlogIndexPage, BlogPage, EntryPage, HomePage

    cacheable_page_type(EntryPage, lambda page: [entry(page.pk)])
    cacheable_page_type(BlogPage, lambda page: [blog(page.slug)])
    cacheable_page_type(HomePage, lambda page: [HOME])
    cacheable_page_type(BlogIndexPage, lambda page: [LISTS])

    for name in ("network_rss", "network_atom", "language_rss", "language_atom"):
        cacheable_route(f"blogs:{name}", lambda kw: [FEEDS])
    for name in ("tag_index", "archive_index", "blogger_list"):
        cacheable_route(f"blogs:{name}", lambda kw: [LISTS])
    for name in ("tag_detail", "tag_rss", "tag_atom"):
        cacheable_route(f"blogs:{name}", lambda kw: [tag(kw["tag"])])
    for name in ("blogger_detail", "blogger_rss", "blogger_atom"):
        cacheable_route(f"blogs:{name}", lambda kw: [blogger(kw["slug"])])
    for name in (
        "blog_rss",
        "blog_atom",
        "blog_language_rss",
        "blog_language_atom",
        "blog_tag_detail",
        "blog_archive_index",
        "blog_archive_year",
        "blog_archive_month",
    ):
        cacheable_route(f"blogs:{name}", lambda kw: [blog(kw["blog"])])
    cacheable_route("blogs:archive_year", lambda kw: [Dependency("year", kw["year"])])
    cacheable_route(
        "blogs:archive_month", lambda kw: [Dependency("month", f"{kw['year']}-{kw['month']}")]
    )
    cacheable_route("blogs:mission_detail", lambda kw: [LISTS])
    cacheable_route("sitemap", lambda kw: [SITEMAP])

    addresses("entry", _entry_paths)
    addresses(
        "blog",
        lambda key: [
            f"/blogs/{key}/",
            *_named_paths(
                ["blogs:blog_rss", "blogs:blog_atom", "blogs:blog_archive_index"], blog=key
            ),
        ],
    )
    addresses(
        "blogger",
        lambda key: _named_paths(
            ["blogs:blogger_detail", "blogs:blogger_rss", "blogs:blogger_atom"], slug=key
        ),
    )
    addresses(
        "tag",
        lambda key: _named_paths(["blogs:tag_detail", "blogs:tag_rss", "blogs:tag_atom"], tag=key),
    )
    addresses("month", _month_paths)
    addresses("year", lambda key: _named_paths(["blogs:archive_year"], year=key))
    addresses("home", lambda key: ["/"])
    addresses("feeds", lambda key: _named_paths(["blogs:network_rss", "blogs:network_atom"]))
    addresses(
        "lists",
        lambda key: [
            *_named_paths(["blogs:tag_index", "blogs:archive_index", "blogs:blogger_list"]),
            "/blogs/",
        ],
    )
    addresses("sitemap", lambda key: ["/sitemap.xml"])
