"""The reads of the search page and the search feed.

The engine answers with entry ids, highlights and facet counts; these functions turn them
into what a reader sees (entries with their cards, blog and tag names, links that narrow
or widen the search) in a fixed number of queries. Every entry shown is checked against
the live entries, so a stale index can hide nothing but never show an unpublished entry.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.http import Http404
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from taggit.models import Tag

from dragoman.blogs.models import Blogger, BlogPage, language_direction
from dragoman.blogs.queries import (
    Credit,
    FeedEntry,
    blogger_address,
    credits_and_tags_sql,
    live_entries,
    tag_address,
)
from dragoman.blogs.queries import feed_entries as blog_feed_entries
from dragoman.core.wagtail_site import page_urls
from dragoman.publishing.fragments import remembered

from .engines import SearchRequest, SearchResults, get_engine
from .engines.base import Hit, Sort
from .forms import SearchForm, filter_choices
from .parsing import ParsedQuery, parse_query

logger = logging.getLogger(__name__)

# The address of a search lists its parameters in this order, so one search has one address.
PARAMETERS = (
    "q",
    "blog",
    "blogger",
    "mission",
    "country",
    "tag",
    "language",
    "date_from",
    "date_to",
    "year",
    "sort",
)
PAGE_SIZE = 10
# What a result shows of its entry (search/includes/result.html, blogs/includes/byline.html).
RESULT_FIELDS = ("title", "url_path", "date", "language", "summary")
MATCHING_PEOPLE = 6

# Who is told of each search made (the words and how many entries they found), e.g. the
# evaluation's counts of top queries; registered in their own AppConfig.ready. Never the
# reader: only the words.
SearchWatcher = Callable[[str, int], None]
_search_watchers: list[SearchWatcher] = []


def search_watch(watcher: SearchWatcher) -> None:
    if watcher not in _search_watchers:
        _search_watchers.append(watcher)


def searched_tell(words: str, total: int) -> None:
    for watcher in _search_watchers:
        try:
            watcher(words, total)
        except Exception:  # counting is never worth a reader's results
            logger.exception("A watcher of searches failed; the search was answered.")


# Pages other than entries that a search also finds (a question session's transcript), each
# kind by a finder its app registers in its AppConfig.ready. A finder returns only what the
# public may see, by its own QuerySet rule, read at the time of the search (no copy to keep).
@dataclass(frozen=True)
class AlsoFound:
    title: str
    url: str
    summary: str
    kind: str  # what the page is, in the reader's language ("Question session")
    date: datetime | None = None


AlsoFinder = Callable[[ParsedQuery, int], list[AlsoFound]]
_also_finders: list[AlsoFinder] = []
ALSO_FOUND = 5


def search_find_also(finder: AlsoFinder) -> None:
    if finder not in _also_finders:
        _also_finders.append(finder)


def also_found(query: ParsedQuery) -> list[AlsoFound]:
    found: list[AlsoFound] = []
    for finder in _also_finders:
        found += finder(query, ALSO_FOUND)
    return found[:ALSO_FOUND]


BLOG_FACET_SIZE = 20


@dataclass(frozen=True)
class FacetOption:
    label: str
    count: int
    count_label: str  # the count as shown: "about 1200" when it is an estimate
    url: str
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    options: list[FacetOption]


@dataclass(frozen=True)
class ActiveFilter:
    label: str
    remove_url: str


@dataclass(frozen=True)
class BlogLink:
    title: str
    url: str


@dataclass(frozen=True)
class Result:
    """One result as search/includes/result.html shows it. `date` and `authors` are what
    the byline reads of an entry, so the result is passed to it as the entry."""

    pk: int  # the entry's
    language: str  # the entry's, with its direction
    url: str
    blog: BlogLink | None
    title: Any
    excerpt: Any
    date: datetime
    authors: list[Credit]
    tags: list[tuple[str, str]]  # (address, name) of each of the entry's tags

    @property
    def direction(self) -> str:
        return language_direction(self.language)


@dataclass
class ResultPage:
    number: int
    num_pages: int
    previous_url: str = ""
    next_url: str = ""


@dataclass
class SearchPage:
    form: SearchForm
    query: ParsedQuery = field(default_factory=ParsedQuery)
    searched: bool = False
    total: int = 0
    estimated: bool = False  # the total (and facet counts) of a broad search are estimates
    results: list[Result] = field(default_factory=list)
    page: ResultPage | None = None
    facets: list[Facet] = field(default_factory=list)
    active_filters: list[ActiveFilter] = field(default_factory=list)
    bloggers: list[Blogger] = field(default_factory=list)
    channels: list[Any] = field(default_factory=list)
    also: list[AlsoFound] = field(default_factory=list)
    permalink: str = ""
    feed_url: str = ""
    exclusions_only: bool = False


def search_parameters(form: SearchForm) -> dict[str, str]:
    """The valid form's non-empty parameters, as they appear in the address."""
    values: dict[str, str] = {}
    for name in PARAMETERS:
        value = form.cleaned_data.get(name)
        if value not in (None, ""):
            values[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return values


@lru_cache(maxsize=64)
def view_address(view: str, language: str | None, _prefix: str) -> str:
    """reverse() once per view, language and script prefix (text-only pages have their own):
    a results page links some fifty searches."""
    return reverse(view)


def address(
    parameters: dict[str, str],
    change: dict[str, str | None] | None = None,
    *,
    view: str = "search:search",
) -> str:
    """The address of a search with some parameters changed (None removes one)."""
    return with_parameters(view_url(view), parameters, change)


def view_url(view: str = "search:search") -> str:
    """The view's path in the current language: read once for the fifty links of a page,
    as the language and script prefix are each a look-up in the request's local state."""
    return view_address(view, get_language(), get_script_prefix())


def with_parameters(
    url: str, parameters: dict[str, str], change: dict[str, str | None] | None = None
) -> str:
    """`url` with the search's parameters, some changed (None removes one), in order."""
    values = {**parameters, **change} if change else parameters
    query = "&".join(
        encoded(name, value) for name in (*PARAMETERS, "page") if (value := values.get(name))
    )
    return f"{url}?{query}" if query else url


@lru_cache(maxsize=4096)
def encoded(name: str, value: str) -> str:
    """One parameter of an address, as urlencode writes it: once per value, as a results
    page links some fifty searches that share most of their parameters."""
    return urlencode([(name, value)])


# Every result names its blog: remembered until a blog is published, moved or unpublished,
# which refreshes the whole site.
@remembered(lambda: [])
def blog_links() -> dict[int, BlogLink]:
    """The title and address of every live, public blog, by id."""
    return {
        blog.pk: BlogLink(title=blog.title, url=blog.url)
        for blog in BlogPage.objects.live().public().only("title", "url_path")
    }


def entries_for(hits: list[Hit]) -> list[Result]:
    """The live entries behind these hits, in the engine's order, with their blogs.

    With what a result shows (search/includes/result.html): its bloggers and tags, but not
    the comment counts and missions of a blog's entry cards. Two reads: the live entries
    (only the fields shown), then their credits and tags in one statement. Whole pages with
    credits and tags prefetched cost three times as much, most of it in building queries
    (bench/search.py).
    """
    ids = [hit.entry_id for hit in hits]
    if not ids:
        return []
    # Rows, not pages: building ten Wagtail pages cost more than reading them.
    entries = {
        row["pk"]: row for row in live_entries().filter(pk__in=ids).values("pk", *RESULT_FIELDS)
    }
    if not entries:
        return []
    credits: dict[int, list[Credit]] = {pk: [] for pk in entries}
    tags: dict[int, list[tuple[str, str]]] = {pk: [] for pk in entries}
    with connection.cursor() as cursor:
        cursor.execute(credits_and_tags_sql(len(entries)), [*entries, *entries])
        for entry_id, kind, slug, name, _order, _id in cursor.fetchall():
            if kind == 0:
                credits[entry_id].append(Credit(display_name=name, url=blogger_address(slug)))
            else:
                tags[entry_id].append((tag_address(slug), name))
    # Page.url of each, as Wagtail computes it, the sites' roots read once.
    urls = dict(zip(entries, page_urls(row["url_path"] for row in entries.values()), strict=True))
    blogs = blog_links()
    results = []
    for hit in hits:
        row = entries.get(hit.entry_id)
        if row is None:
            continue
        results.append(
            Result(
                pk=hit.entry_id,
                language=row["language"],
                url=urls[hit.entry_id],
                blog=blogs.get(hit.blog_id),
                title=hit.title or row["title"],
                excerpt=hit.excerpt or row["summary"],
                date=row["date"],
                authors=credits[hit.entry_id],
                tags=tags[hit.entry_id],
            )
        )
    return results


def facets_for(results: SearchResults, parameters: dict[str, str], form: SearchForm) -> list[Facet]:
    """Each facet's values with counts; a click narrows to one, a second click widens again."""
    # The twenty blogs with most results: a network of hundreds would bury the other facets.
    blog_counts = results.facets.get("blog", [])[:BLOG_FACET_SIZE]
    # The blogs the form offers (remembered): a facet narrows to one of its choices.
    blogs = {str(pk): (slug, title) for pk, slug, title in filter_choices().blogs}
    tag_values = [value for value, _count in results.facets.get("tag", [])]
    tags = dict(Tag.objects.filter(slug__in=tag_values).values_list("slug", "name"))
    languages = dict(settings.CONTENT_LANGUAGES)
    search_url = view_url()
    # A broad search's counts are estimates (engines/sqlite.py): say so.
    about = _("about %(count)s") if results.estimated else ""

    def option(parameter: str, value: str, label: str, count: int) -> FacetOption:
        selected = parameters.get(parameter) == value
        url = with_parameters(search_url, parameters, {parameter: None if selected else value})
        shown = about % {"count": count} if about else str(count)
        return FacetOption(label=label, count=count, count_label=shown, url=url, selected=selected)

    facets = [
        Facet(
            "blog",
            _("Blog"),
            [
                option("blog", blogs[value][0], blogs[value][1], count)
                for value, count in blog_counts
                if value in blogs
            ],
        ),
        Facet(
            "tag",
            _("Tag"),
            [
                option("tag", value, tags.get(value, value), count)
                for value, count in results.facets.get("tag", [])
            ],
        ),
        Facet(
            "language",
            _("Language"),
            [
                option("language", value, str(languages.get(value, value)), count)
                for value, count in results.facets.get("language", [])
            ],
        ),
        Facet(
            "year",
            _("Year"),
            [
                option("year", value, value, count)
                for value, count in results.facets.get("year", [])
            ],
        ),
    ]
    return [facet for facet in facets if facet.options]


def active_filters(form: SearchForm, parameters: dict[str, str]) -> list[ActiveFilter]:
    """The filters in force, each with the address of the same search without it."""
    active = []
    for name in PARAMETERS:
        if name in ("q", "sort") or name not in parameters:
            continue
        field_ = form.fields[name]
        value = parameters[name]
        shown = dict(getattr(field_, "choices", [])).get(value, value)
        active.append(
            ActiveFilter(
                label=f"{field_.label}: {shown}", remove_url=address(parameters, {name: None})
            )
        )
    return active


# How many of a query's words must each be found in a blogger's or channel's names.
NAME_WORDS = 5


def folded(*texts: str | None) -> str:
    """Names case-folded, one a line: a word (letters and digits) never spans two."""
    return "\n".join((text or "").casefold() for text in texts)


# Every search looks for bloggers and channels by name beside the entries. Their names are
# remembered, so that a search whose words name no one (most searches) costs no query for
# them: until a blogger, mission or channel changes, each of which refreshes the site.
@remembered(lambda: [])
def blogger_names() -> list[tuple[int, str]]:
    """Each blogger's id with their name, job, mission and country (`folded`)."""
    return [
        (pk, folded(*texts))
        for pk, *texts in Blogger.objects.values_list(
            "pk", "display_name", "job_title", "mission__name", "mission__country"
        )
    ]


@remembered(lambda: [])
def channel_names() -> list[tuple[int, str]]:
    """Each active channel's id with its handle, mission, country and blogger (`folded`)."""
    if not apps.is_installed("dragoman.channels"):
        return []
    # The register is an app of its own; search works the same without it.
    from dragoman.channels.models import Channel

    return [
        (pk, folded(*texts))
        for pk, *texts in Channel.objects.active().values_list(
            "pk", "handle", "mission__name", "mission__country", "blogger__display_name"
        )
    ]


def naming_every_word(names: list[tuple[int, str]], query: ParsedQuery) -> list[int]:
    """The ids whose names hold each of the query's first words, as icontains would."""
    words = [word.casefold() for word in query.words[:NAME_WORDS]]
    if not words:
        return []
    first, *others = words
    # The first word alone (no generator per name) rules out nearly every name: a search
    # reads all the network's bloggers here, a thousand on a large one.
    return [pk for pk, text in names if first in text and all(word in text for word in others)]


def matching_bloggers(query: ParsedQuery) -> list[Blogger]:
    """Bloggers whose name, job, mission or country holds every word searched for."""
    found = naming_every_word(blogger_names(), query)
    if not found:
        return []
    return list(
        Blogger.objects.filter(pk__in=found)
        .select_related("mission", "photo")
        .order_by("display_name")[:MATCHING_PEOPLE]
    )


def matching_channels(query: ParsedQuery) -> list[Any]:
    """Active official channels whose handle, owner, mission or country holds every word."""
    found = naming_every_word(channel_names(), query)
    if not found:
        return []
    from dragoman.channels.models import Channel
    from dragoman.channels.queries import channels_with_owners

    channels = Channel.objects.active().filter(pk__in=found)
    return list(channels_with_owners(channels).order_by("platform", "handle")[:MATCHING_PEOPLE])


def search_page(*, form: SearchForm) -> SearchPage:
    """Everything the search page shows for a submitted (possibly invalid) form."""
    if not form.is_valid():
        return SearchPage(form=form)
    parameters = search_parameters(form)
    query = parse_query(form.cleaned_data["q"])
    filters = form.filters()
    page = SearchPage(
        form=form,
        query=query,
        permalink=address(parameters),
        feed_url=address(parameters, view="search:feed"),
        active_filters=active_filters(form, parameters),
        exclusions_only=bool(query.terms) and not query.searchable,
    )
    if not query.searchable and not filters.any:
        return page
    number = form.cleaned_data.get("page") or 1
    sort: Sort = form.cleaned_data.get("sort") or ("relevance" if query.searchable else "date")
    results = get_engine().search(
        SearchRequest(
            query=query,
            filters=filters,
            sort=sort,
            offset=(number - 1) * PAGE_SIZE,
            limit=PAGE_SIZE,
        )
    )
    num_pages = max(1, math.ceil(results.total / PAGE_SIZE))
    if number > num_pages:
        raise Http404(_("This search has no page %(number)s.") % {"number": number})
    page.searched = True
    page.total = results.total
    page.estimated = results.estimated
    page.results = entries_for(results.hits)
    page.page = ResultPage(
        number=number,
        num_pages=num_pages,
        previous_url=address(parameters, {"page": str(number - 1) if number > 2 else None})
        if number > 1
        else "",
        next_url=address(parameters, {"page": str(number + 1)}) if number < num_pages else "",
    )
    page.facets = facets_for(results, parameters, form)
    if number == 1:
        if query.searchable and _search_watchers:
            searched_tell(form.cleaned_data["q"], results.total)
        page.bloggers = matching_bloggers(query)
        page.channels = matching_channels(query)
        if query.searchable:
            page.also = also_found(query)
    return page


def feed_entries(*, form: SearchForm, limit: int) -> list[FeedEntry]:
    """The newest entries a valid search finds, for its Atom feed."""
    query = parse_query(form.cleaned_data["q"])
    filters = form.filters()
    results = get_engine().search(
        SearchRequest(
            query=query, filters=filters, sort="date", limit=limit, facets=False, highlight=False
        )
    )
    ids = [hit.entry_id for hit in results.hits]
    # As every feed has them (the full text), by the rule again.
    found = {
        entry.pk: entry
        for entry in blog_feed_entries(live_entries().filter(pk__in=ids), limit=limit)
    }
    return [found[entry_id] for entry_id in ids if entry_id in found]
