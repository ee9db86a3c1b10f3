"""The reads of the search page and the search feed.

The engine answers with entry ids, highlights and facet counts; these functions turn them
into what a reader sees (entries with their cards, blog and tag names, links that narrow
or widen the search) in a fixed number of queries. Every entry shown is checked against
the live entries, so a stale index can hide nothing but never show an unpublished entry.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.db.models import Prefetch, Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from taggit.models import Tag

from dragoman.blogs.models import Blogger, BlogPage, EntryAuthor, EntryPage, EntryTag
from dragoman.blogs.queries import live_entries
from dragoman.publishing.fragments import remembered

from .engines import SearchRequest, SearchResults, get_engine
from .engines.base import Hit, Sort
from .forms import SearchForm, filter_choices
from .parsing import ParsedQuery, parse_query

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
MATCHING_PEOPLE = 6
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
    entry: EntryPage
    blog: BlogLink | None
    title: Any
    excerpt: Any
    tags: list[tuple[str, str]]  # (address, name) of each of the entry's tags


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
def view_address(view: str, language: str | None) -> str:
    """reverse() once per view and language: a results page links some fifty searches."""
    return reverse(view)


def address(
    parameters: dict[str, str],
    change: dict[str, str | None] | None = None,
    *,
    view: str = "search:search",
) -> str:
    """The address of a search with some parameters changed (None removes one)."""
    values = {**parameters, **(change or {})}
    ordered = [(name, values[name]) for name in (*PARAMETERS, "page") if values.get(name)]
    url = view_address(view, get_language())
    return f"{url}?{urlencode(ordered)}" if ordered else url


@lru_cache(maxsize=1024)
def tag_address(slug: str, language: str | None) -> str:
    """reverse() once per tag and language: a page of results links some thirty tags."""
    return reverse("blogs:tag_detail", args=[slug])


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
    the comment counts and missions of a blog's entry cards, which cost a third more.
    """
    ids = [hit.entry_id for hit in hits]
    found = (
        live_entries()
        .filter(pk__in=ids)
        .prefetch_related(
            Prefetch(
                "entry_authors",
                queryset=EntryAuthor.objects.select_related("blogger").order_by("sort_order"),
            ),
            Prefetch("tagged_items", queryset=EntryTag.objects.select_related("tag")),
        )
    )
    entries = {entry.pk: entry for entry in found}
    blogs = blog_links()
    language = get_language()
    return [
        Result(
            entry=entries[hit.entry_id],
            blog=blogs.get(hit.blog_id),
            title=hit.title or entries[hit.entry_id].title,
            excerpt=hit.excerpt or entries[hit.entry_id].summary,
            tags=[
                (tag_address(item.tag.slug, language), item.tag.name)
                for item in entries[hit.entry_id].tagged_items.all()
            ],
        )
        for hit in hits
        if hit.entry_id in entries
    ]


def facets_for(results: SearchResults, parameters: dict[str, str], form: SearchForm) -> list[Facet]:
    """Each facet's values with counts; a click narrows to one, a second click widens again."""
    # The twenty blogs with most results: a network of hundreds would bury the other facets.
    blog_counts = results.facets.get("blog", [])[:BLOG_FACET_SIZE]
    # The blogs the form offers (remembered): a facet narrows to one of its choices.
    blogs = {str(pk): (slug, title) for pk, slug, title in filter_choices().blogs}
    tag_values = [value for value, _count in results.facets.get("tag", [])]
    tags = dict(Tag.objects.filter(slug__in=tag_values).values_list("slug", "name"))
    languages = dict(settings.CONTENT_LANGUAGES)

    def option(parameter: str, value: str, label: str, count: int) -> FacetOption:
        selected = parameters.get(parameter) == value
        url = address(parameters, {parameter: None if selected else value})
        # A broad search's counts are estimates (engines/sqlite.py): say so.
        shown = _("about %(count)s") % {"count": count} if results.estimated else str(count)
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


def matching_bloggers(query: ParsedQuery) -> list[Blogger]:
    """Bloggers whose name, job, mission or country holds every word searched for."""
    words = query.words
    if not words:
        return []
    condition = Q()
    for word in words[:5]:
        condition &= (
            Q(display_name__icontains=word)
            | Q(job_title__icontains=word)
            | Q(mission__name__icontains=word)
            | Q(mission__country__icontains=word)
        )
    return list(
        Blogger.objects.filter(condition)
        .select_related("mission", "photo")
        .order_by("display_name")[:MATCHING_PEOPLE]
    )


def matching_channels(query: ParsedQuery) -> list[Any]:
    """Active official channels whose handle, owner, mission or country holds every word."""
    if not query.words or not apps.is_installed("dragoman.channels"):
        return []
    # The register is an app of its own; search works the same without it.
    from dragoman.channels.models import Channel
    from dragoman.channels.queries import channels_with_owners

    condition = Q()
    for word in query.words[:5]:
        condition &= (
            Q(handle__icontains=word)
            | Q(mission__name__icontains=word)
            | Q(mission__country__icontains=word)
            | Q(blogger__display_name__icontains=word)
        )
    channels = Channel.objects.active().filter(condition)
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
        page.bloggers = matching_bloggers(query)
        page.channels = matching_channels(query)
    return page


def feed_entries(*, form: SearchForm, limit: int) -> list[EntryPage]:
    """The newest entries a valid search finds, for its Atom feed."""
    query = parse_query(form.cleaned_data["q"])
    filters = form.filters()
    results = get_engine().search(
        SearchRequest(
            query=query, filters=filters, sort="date", limit=limit, facets=False, highlight=False
        )
    )
    return [result.entry for result in entries_for(results.hits)]
