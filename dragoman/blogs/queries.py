"""The reads that public pages, feeds and sidebars share.

Each function fetches what a page shows in a fixed number of queries, whatever the number
of entries: lists are paginated and related rows are prefetched, never looked up per row.
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connection, connections
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language
from taggit.models import Tag
from wagtail.permission_policies.pages import PagePermissionPolicy

from dragoman.core.hosts import on_canonical_host, on_reader_host
from dragoman.core.prepared import PreparedQuery
from dragoman.core.wagtail_site import page_urls
from dragoman.missions.models import Mission
from dragoman.publishing.fragments import remembered

from . import dependencies, structured_data
from .dependencies import network_or_blog
from .models import (
    Blogger,
    BlogPage,
    EntryAuthor,
    EntryPage,
    EntryQuerySet,
    EntryTag,
    HomePage,
    MonthCount,
    Reader,
    TagCount,
    hidden_paths,
    language_direction,
)
from .sharing import share_links

# Tag clouds show this many tags at most, weighted in this many steps (CSS classes 1..5).
TAG_CLOUD_SIZE = 40
TAG_CLOUD_WEIGHTS = 5


def live_entries() -> EntryQuerySet:
    """The entries the anonymous public may see: `EntryPage.objects.visible()` (the rule)."""
    return EntryPage.objects.visible()


# What other apps add to every entry card, registered in their AppConfig.ready (the
# conversations add each entry's count of published comments, as a subquery).
_card_extensions: list[Callable[[EntryQuerySet], EntryQuerySet]] = []


def card_data_extend(extend: Callable[[EntryQuerySet], EntryQuerySet]) -> None:
    if extend not in _card_extensions:
        _card_extensions.append(extend)


@dataclass(frozen=True)
class Credit:
    """A credited blogger, as a byline shows them (blogs/includes/byline.html)."""

    display_name: str
    url: str

    def get_absolute_url(self) -> str:
        return self.url


@dataclass(frozen=True)
class CardTag:
    name: str
    url: str


# What an entry card shows of its entry's own columns (blogs/includes/entry_card.html).
CARD_FIELDS = ("pk", "title", "url_path", "language", "date", "summary")


@dataclass(frozen=True)
class EntryCard:
    """An entry as its card shows it (blogs/includes/entry_card.html and the byline, which
    reads `date` and `authors`), read as plain values: building whole pages (some fifty
    columns, a 3-4 KB body, Wagtail's and modelcluster's set-up) with their credits, missions
    and tags prefetched cost most of a listing page's render."""

    pk: int
    title: str
    url: str
    language: str
    date: datetime
    summary: str
    authors: list[Credit]
    tags: list[CardTag]
    # What other apps add to every card (`card_data_extend`), by annotation name: the
    # conversations' `comment_count`.
    added: dict[str, Any]

    @property
    def direction(self) -> str:
        return language_direction(self.language)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__.get("added", {})[name]
        except KeyError:
            raise AttributeError(name) from None


# reverse() once per blogger or tag, interface language and script prefix (the text-only
# pages have their own): a page of cards links some forty of them.
@functools.lru_cache(maxsize=4096)
def _blogger_address(slug: str, _language: str | None, _prefix: str) -> str:
    return reverse("blogs:blogger_detail", kwargs={"slug": slug})


@functools.lru_cache(maxsize=4096)
def _tag_address(slug: str, _language: str | None, _prefix: str) -> str:
    return reverse("blogs:tag_detail", args=[slug])


def blogger_address(slug: str) -> str:
    """A blogger's profile address, as `Blogger.get_absolute_url` gives it."""
    return _blogger_address(slug, get_language(), get_script_prefix())


def tag_address(slug: str) -> str:
    """A tag's page, as `{% url 'blogs:tag_detail' slug %}` gives it."""
    return _tag_address(slug, get_language(), get_script_prefix())


def page_address(url_path: str) -> str:
    """The address Wagtail gives the page with this tree address (`Page.url`), computed by
    Wagtail's own code on a bare page that holds nothing else: a whole page is not needed."""
    return page_urls([url_path])[0]


def credits_and_tags_sql(count: int) -> str:
    """One statement for the credited bloggers and the tags of `count` entries: rows of
    (entry id, 0 for a blogger or 1 for a tag, slug, name), bloggers in credit order."""
    credit, blogger = EntryAuthor._meta, Blogger._meta
    tagged, tag = EntryTag._meta, Tag._meta
    ids = ", ".join(["%s"] * count)

    def column(meta: Any, name: str) -> str:
        return f"{meta.db_table}.{meta.get_field(name).column}"

    # Our own table and column names, and placeholders: the ids are parameters.
    return f"""
        SELECT {column(credit, "entry")}, 0, {column(blogger, "slug")},
            {column(blogger, "display_name")}, {column(credit, "sort_order")}, {credit.db_table}.id
        FROM {credit.db_table} JOIN {blogger.db_table}
            ON {column(blogger, "id")} = {column(credit, "blogger")}
        WHERE {column(credit, "entry")} IN ({ids})
        UNION ALL
        SELECT {column(tagged, "content_object")}, 1, {column(tag, "slug")}, {column(tag, "name")},
            0, {tagged.db_table}.id
        FROM {tagged.db_table} JOIN {tag.db_table} ON {column(tag, "id")} = {column(tagged, "tag")}
        WHERE {column(tagged, "content_object")} IN ({ids})
        ORDER BY 2, 5, 6
    """  # noqa: S608


def _credits_and_tags(database: str, ids: list[int]) -> list[tuple[int, int, str, str]]:
    """(entry id, 0 for a blogger or 1 for a tag, slug, name) of these entries, in one
    query on the database the entries came from (a replica serves anonymous pages)."""
    with connections[database].cursor() as cursor:
        cursor.execute(credits_and_tags_sql(len(ids)), [*ids, *ids])
        return [(row[0], row[1], row[2], row[3]) for row in cursor.fetchall()]


def entry_cards(entries: EntryQuerySet, *, limit: int | None = None) -> list[EntryCard]:
    """The cards of these entries, in their order (at most `limit`): two queries, the
    entries' own columns with what other apps add, then their credits and tags together.

    `entries` must already hold only entries the reader may see (`live_entries()` or ids
    read from it): a card shows what it is given.
    """
    plain = set(entries.query.annotations)
    for extend in _card_extensions:
        entries = extend(entries)
    added = [name for name in entries.query.annotations if name not in plain]
    rows = entries.values(*CARD_FIELDS, *added)
    found = list(rows if limit is None else rows[:limit])
    if not found:
        return []
    ids = [row["pk"] for row in found]
    # Asked once for the list's forty-odd addresses, not once each.
    language, prefix = get_language(), get_script_prefix()
    credits: dict[int, list[Credit]] = {pk: [] for pk in ids}
    tags: dict[int, list[CardTag]] = {pk: [] for pk in ids}
    for entry_id, kind, slug, name in _credits_and_tags(rows.db, ids):
        if kind == 0:
            url = _blogger_address(slug, language, prefix)
            credits[entry_id].append(Credit(display_name=name, url=url))
        else:
            tags[entry_id].append(CardTag(name=name, url=_tag_address(slug, language, prefix)))
    addresses = page_urls(row["url_path"] for row in found)  # the sites' roots read once
    return [
        EntryCard(
            pk=row["pk"],
            title=row["title"],
            url=url,
            language=row["language"],
            date=row["date"],
            summary=row["summary"],
            authors=credits[row["pk"]],
            tags=tags[row["pk"]],
            added={name: row[name] for name in added},
        )
        for row, url in zip(found, addresses, strict=True)
    ]


@dataclass(frozen=True)
class FeedEntry:
    """An entry as a feed carries it, read as plain values like a card (`entry_cards`): a
    feed of whole pages spent most of its render building them, their credits and tags."""

    pk: int
    title: str
    url: str
    language: str
    date: datetime
    last_published_at: datetime | None
    summary: str
    # The body as stored: a list of {"type", "value", "id"}, rendered by the feed itself.
    body: list[dict[str, Any]]
    authors: list[str]
    tags: list[str]


def feed_entries(entries: EntryQuerySet, *, limit: int) -> list[FeedEntry]:
    """The first `limit` of these entries, in their order, for a feed: two queries.

    `entries` must already hold only entries the reader may see (`live_entries()` or ids
    read from it), as for `entry_cards`.
    """
    rows = entries.values(
        "pk", "title", "url_path", "language", "date", "last_published_at", "summary", "body"
    )
    found = list(rows[:limit])
    if not found:
        return []
    ids = [row["pk"] for row in found]
    names: dict[tuple[int, int], list[str]] = defaultdict(list)
    for entry_id, kind, _slug, name in _credits_and_tags(rows.db, ids):
        names[entry_id, kind].append(name)
    addresses = page_urls(row["url_path"] for row in found)  # the sites' roots read once
    return [
        FeedEntry(
            pk=row["pk"],
            title=row["title"],
            url=url,
            language=row["language"],
            date=row["date"],
            last_published_at=row["last_published_at"],
            summary=row["summary"],
            body=row["body"].raw_data if row["body"] is not None else [],
            authors=names[row["pk"], 0],
            tags=names[row["pk"], 1],
        )
        for row, url in zip(found, addresses, strict=True)
    ]


def feed_images(ids: Iterable[int], filter_spec: str) -> dict[int, Any]:
    """The images with these ids, each with its rendition of `filter_spec` if made: one
    query for the images, one for the renditions (Wagtail makes a missing one when asked)."""
    from wagtail.images import get_image_model

    wanted = set(ids)
    if not wanted:
        return {}
    images = get_image_model().objects.filter(pk__in=wanted).prefetch_renditions(filter_spec)
    return {image.pk: image for image in images}


class KnownCountPaginator(Paginator):
    """A paginator told how many items there are (kept in `counts`) instead of counting them."""

    def __init__(self, object_list: Any, per_page: int, *, known_count: int, **kwargs: Any):
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = known_count

    @cached_property
    def count(self) -> int:
        return self.known_count


def paginate(items: QuerySet[Any], page_number: str | None, *, count: int | None = None) -> Page:
    """A page of results; a page that does not exist is a 404, never a 500."""
    per_page = settings.DRAGOMAN_PAGE_SIZE
    paginator = (
        Paginator(items, per_page, allow_empty_first_page=True)
        if count is None
        else KnownCountPaginator(items, per_page, known_count=count, allow_empty_first_page=True)
    )
    try:
        return paginator.page(page_number or 1)
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404(str(error)) from error


def paginate_entries(
    keys: QuerySet[Any], page_number: str | None, *, count: int | None = None
) -> Page:
    """A page of entry cards from entry ids in reading order (`entry_keys`, `tagged_keys`,
    `credited_keys`).

    The page's entries are chosen by key alone (a narrow sort) and only those are then
    fetched whole, so a tag or month with thousands of entries costs little more than one
    with a few.
    """
    page = paginate(keys, page_number, count=count)
    ids = list(page.object_list)
    cards = {card.pk: card for card in entry_cards(EntryPage.objects.filter(pk__in=ids))}
    page.object_list = [cards[pk] for pk in ids if pk in cards]
    return page


def entry_keys(entries: EntryQuerySet) -> QuerySet[Any]:
    """The entries' ids, newest first."""
    return entries.newest_first().values_list("pk", flat=True)


def tagged_keys(*, tag: Tag) -> QuerySet[Any]:
    """The ids of the tag's visible entries, newest first, read from the tag's own index (the
    rule over the copies kept on each tagging)."""
    rows = EntryTag.objects.visible().filter(tag=tag)
    # `entry_live` leads the order as it leads the index: every row kept is live, so it
    # changes nothing but lets SQLite read the index in order, where it sorted every entry
    # of the tag (the rule's `entry_live` is a bare column, which SQLite does not take for
    # an equality on the index).
    return rows.order_by("entry_live", "-entry_date", "-content_object_id").values_list(
        "content_object_id", flat=True
    )


def credited_keys(*, blogger: Blogger) -> QuerySet[Any]:
    """The ids of the blogger's visible entries, newest first, read from the credits' own
    index (the rule over the copies kept on each credit), as `tagged_keys` reads a tag's: a
    profile sorted all of the blogger's entries (some thousands on a big network)."""
    rows = EntryAuthor.objects.visible().filter(blogger=blogger)
    # `entry_live` leads the order as it leads the index (see `tagged_keys`).
    return rows.order_by("entry_live", "-entry_date", "-entry_id").values_list(
        "entry_id", flat=True
    )


def latest_entries(*, limit: int = 10) -> list[EntryCard]:
    return entry_cards(live_entries().newest_first(), limit=limit)


def blog_entries(*, blog: BlogPage) -> EntryQuerySet:
    return live_entries().for_blog(blog)


@remembered(lambda *, blogger: [dependencies.blogger(blogger.slug)])
def blogger_entry_count(*, blogger: Blogger) -> int:
    """How many entries a profile lists, counted by the rule once after each change to the
    blogger's entries (their profile's dependency) rather than on every render."""
    return credited_keys(blogger=blogger).count()


def tagged_entries(*, tag: Tag, blog: BlogPage | None = None) -> EntryQuerySet:
    entries = live_entries().tagged(tag.slug)
    if blog is not None:
        entries = entries.for_blog(blog)
    return entries


def period_entries(
    *, start: datetime, end: datetime, blog: BlogPage | None = None
) -> EntryQuerySet:
    # The period's bounds come before the rule's (date <= now): SQLite takes the first upper
    # bound on an indexed column for its index range and checks the others on each row, so
    # with the rule's first it walked every entry from now back to the period, 22,000 index
    # entries for an archive month of 2023 at 100,000 entries (1.5 ms, growing with the
    # network). PostgreSQL takes the tighter bound whatever the order.
    entries = EntryPage.objects.filter(date__gte=start, date__lt=end).visible()
    if blog is not None:
        entries = entries.for_blog(blog)
    return entries


def all_blogs() -> QuerySet[BlogPage]:
    return (
        BlogPage.objects.live()
        .public()
        .select_related("mission", "top_image")
        .prefetch_related("bloggers")
        .order_by("title")
    )


def live_blog(slug: str) -> BlogPage:
    blog = all_blogs().filter(slug=slug).first()
    if blog is None:
        raise Http404("No such blog")
    return blog


def blog_of(entry: EntryPage) -> BlogPage:
    # An entry is a child of its blog: the parent's tree path is the entry's, one step less.
    return blog_at(path=entry.path[: -EntryPage.steplen])


@remembered(lambda path: [])  # any change to a blog page refreshes the whole site
def blog_at(*, path: str) -> BlogPage:
    return BlogPage.objects.select_related("mission").get(path=path)


def best_bits(page: Any, *, preview: bool = False) -> list[EntryPage]:
    """The curated picks of a home or blog page that are live, in the team's order: those of
    the editor's unsaved page in a preview, else those remembered since they were set."""
    entry_ids = (
        [bit.entry_id for bit in page.best_bits.all()] if preview else best_bit_ids(page=page)
    )
    if not entry_ids:  # no picks: nothing to ask the rule
        return []
    # Only what the list shows (blogs/includes/best_bits.html): not the bodies.
    shown = live_entries().filter(pk__in=entry_ids).only("title", "url_path", "language")
    entries = {entry.pk: entry for entry in shown}
    return [entries[pk] for pk in entry_ids if pk in entries]


# Picks change when their page is published (a refresh of every page) or are set by
# `services.best_bits_set`, which refreshes their page: read once, not on every render (a
# query and some 900 Python calls, most often to find that there are none).
@remembered(lambda *, page: [dependencies.picks_shown_on(page)])
def best_bit_ids(*, page: Any) -> list[int]:
    """The ids of a home or blog page's picks, in the team's order."""
    return [bit.entry_id for bit in page.best_bits.all()]


@dataclass(frozen=True)
class WeightedTag:
    name: str
    slug: str
    count: int
    weight: int  # 1 (least used) to TAG_CLOUD_WEIGHTS (most used)


# Read from the counts kept as entries change (`counts`), remembered until an entry changes.
@remembered(network_or_blog)
def tag_cloud(*, blog: BlogPage | None = None, limit: int = TAG_CLOUD_SIZE) -> list[WeightedTag]:
    """The most used tags of live entries, alphabetically, weighted on a log scale."""
    rows = list(
        TagCount.objects.filter(blog=blog)
        .order_by("-entries", "tag__name")
        .values_list("tag__name", "tag__slug", "entries")[:limit]
    )
    if not rows:
        return []
    most = max(uses for _name, _slug, uses in rows)
    least = min(uses for _name, _slug, uses in rows)
    span = math.log(most) - math.log(least) or 1.0

    def weight(uses: int) -> int:
        return 1 + round((TAG_CLOUD_WEIGHTS - 1) * (math.log(uses) - math.log(least)) / span)

    tags = [WeightedTag(name, slug, uses, weight(uses)) for name, slug, uses in rows]
    return sorted(tags, key=lambda tag: tag.name.casefold())


def tag_entry_count(*, tag: Tag, blog: BlogPage | None = None) -> int:
    found = TagCount.objects.filter(tag=tag, blog=blog).values_list("entries", flat=True).first()
    return found or 0


@dataclass(frozen=True)
class ArchiveMonth:
    month: date
    count: int


@remembered(network_or_blog)
def archive_months(*, blog: BlogPage | None = None) -> list[ArchiveMonth]:
    """Every month with live entries, newest first, with how many."""
    rows = MonthCount.objects.filter(blog=blog).order_by("-month").values_list("month", "entries")
    return [ArchiveMonth(month, count) for month, count in rows]


def archive_years(*, blog: BlogPage | None = None) -> list[tuple[int, list[ArchiveMonth]]]:
    """The archive grouped by year, newest first, for the full archive page."""
    years: dict[int, list[ArchiveMonth]] = defaultdict(list)
    for month in archive_months(blog=blog):
        years[month.month.year].append(month)
    return sorted(years.items(), reverse=True)


def get_tag(slug: str) -> Tag:
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        raise Http404("No such tag")
    return tag


@remembered(lambda: [])  # changes only with bloggers, missions, blogs: a site refresh
def bloggers_by_location() -> list[tuple[str, list[tuple[Mission | None, list[Blogger]]]]]:
    """Bloggers with a live blog, grouped by country, then mission."""
    bloggers = (
        Blogger.objects.filter(blogs__live=True)
        .distinct()
        .select_related("mission", "photo")
        .order_by("mission__country", "mission__name", "display_name")
    )
    countries: dict[str, dict[Mission | None, list[Blogger]]] = {}
    for blogger in bloggers:
        country = blogger.mission.country if blogger.mission else ""
        countries.setdefault(country, {}).setdefault(blogger.mission, []).append(blogger)
    return [(country, list(missions.items())) for country, missions in countries.items()]


# A profile's blogger, compiled once (see dragoman/core/prepared.py).
_blogger_at = PreparedQuery(
    lambda slug: Blogger.objects.select_related("mission", "photo").filter(slug=slug)[:1],
    slug=str,
)


def live_blogger(slug: str) -> Blogger:
    found = _blogger_at(slug=slug)
    if not found:
        raise Http404("No such blogger")
    return found[0]


def blogs_of_blogger(blogger: Blogger) -> QuerySet[BlogPage]:
    """The live blogs a profile says the blogger writes on, with only what it shows of them
    (title and address): public ones, as `all_blogs`, by the remembered private sections
    rather than Wagtail's `public()`, which reads every view restriction again."""
    blogs = BlogPage.objects.live().filter(bloggers=blogger)
    for path in hidden_paths(None):
        blogs = blogs.exclude(path__startswith=path)
    return blogs.only("title", "url_path").order_by("title")


def home_page_context(*, home: HomePage, preview: bool = False) -> dict[str, Any]:
    # The page being served (or previewed, with its unsaved picks), not a fresh copy of it.
    return {
        "latest_entries": latest_entries(limit=settings.DRAGOMAN_PAGE_SIZE),
        "best_bits": best_bits(home, preview=preview),
        "tag_cloud": tag_cloud(),
        # Called by the template only when its remembered HTML is stale.
        "bloggers_by_location": bloggers_by_location,
        "archive_months": archive_months()[:12],
    }


def blog_page_context(
    *, blog: BlogPage, page_number: str | None, preview: bool = False
) -> dict[str, Any]:
    return {
        "blog": blog,
        # Counted from the blog's month counts (copies the rule writes), which the aside
        # shows anyway: counting the blog's entries grew with the blog.
        "entries": paginate_entries(
            entry_keys(blog_entries(blog=blog)),
            page_number,
            count=sum(month.count for month in archive_months(blog=blog)),
        ),
        "best_bits": best_bits(blog, preview=preview),
        "tag_cloud": tag_cloud(blog=blog),
        "archive_months": archive_months(blog=blog),
        # Called by the template only when its remembered header is stale.
        "blog_bloggers": functools.partial(blog_bloggers, blog),
    }


def blog_bloggers(blog: BlogPage) -> list[Credit]:
    """A blog's bloggers as its header shows them ("Written by"): only their names and
    addresses, not whole bloggers with their missions and photos."""
    return [
        Credit(display_name=name, url=blogger_address(slug))
        for name, slug in blog.bloggers.values_list("display_name", "slug")
    ]


def entry_image(entry: EntryPage, blog: BlogPage) -> Any:
    """The picture a shared link shows: the entry's first image, else the blog's top image."""
    for block in entry.body:
        if block.block_type == "image":
            return block.value["image"]
    return blog.top_image


# The rule compiled to SQL once per set of hidden sections and database (see below), with
# the place of its moment ("now") among the parameters.
_VISIBLE_SQL: dict[tuple[str, tuple[str, ...]], tuple[str, tuple[Any, ...], int]] = {}
# A moment no entry is dated at, compiled in place of "now" and then found by its value.
_COMPILED_NOW = datetime(1970, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)


def visible_entries_sql(
    *, reader: Reader = None, entry_alias: str = "e", page_alias: str = "p"
) -> tuple[str, list[Any]]:
    """The rule (`EntryPage.objects.visible(reader)`) as a SQL condition and its parameters,
    over the entry table named `entry_alias` joined to Wagtail's page table, `page_alias`.

    Compiled by the ORM from the rule's own filter, so that raw SQL cannot drift from it;
    remembered per database and hidden sections, since building it costs more than running
    a small query.
    """
    adapt = connection.ops.adapt_datetimefield_value
    key = (connection.alias, tuple(hidden_paths(reader)))
    compiled = _VISIBLE_SQL.get(key)
    if compiled is None:
        query = EntryPage.objects.visible(reader, now=_COMPILED_NOW).query
        page_table = EntryPage._meta.pk.related_model._meta.db_table
        where = query.where.relabeled_clone(
            {EntryPage._meta.db_table: entry_alias, page_table: page_alias}
        )
        sql, params = where.as_sql(query.get_compiler(connection=connection), connection)
        now_at = [param in (_COMPILED_NOW, adapt(_COMPILED_NOW)) for param in params].index(True)
        if len(_VISIBLE_SQL) > 64:  # sections turned private and public over a long life
            _VISIBLE_SQL.clear()
        compiled = _VISIBLE_SQL[key] = (sql, tuple(params), now_at)
    sql, params, now_at = compiled
    values = list(params)
    values[now_at] = adapt(timezone.now())
    return sql, values


def entry_neighbours(entry: EntryPage, blog: BlogPage) -> tuple[EntryPage | None, EntryPage | None]:
    """The visible entries just before and just after this one on its blog (by date, then id).

    One statement for both, in SQL: the ORM cannot put a LIMIT inside a UNION on SQLite, and
    building its two queries cost a third of an entry page's render. The visibility condition
    is the rule's own, compiled (`visible_entries_sql`); tests/blogs/test_neighbours.py holds
    the whole to `live_entries().for_blog(blog)`. It is read from the index of each blog's
    entries by date: a few rows, however many entries the network or the blog has. Only the
    entry's id and date are read, and only the blog's id: publishing asks where an entry was,
    too.
    """
    entry_table = EntryPage._meta.db_table
    page_table = EntryPage._meta.pk.related_model._meta.db_table  # Wagtail's page tree
    adapt = connection.ops.adapt_datetimefield_value
    visible, visible_params = visible_entries_sql()
    conditions = ["e.blog_id = %s", f"({visible})"]
    shared = [blog.pk, *visible_params]
    date = adapt(entry.date)
    if entry.pk is None:
        # A new entry, previewed in the admin, has no id yet: only its date places it.
        place, place_params = "e.date {compare} %s", [date]
    else:
        # A pair compared as one value, so that the index is read in order from the entry's
        # place (an OR of two conditions made SQLite collect and sort every newer entry).
        # Never the entry itself, even at the earlier date that publishing asks about.
        place = "(e.date, e.page_ptr_id) {compare} (%s, %s) AND e.page_ptr_id <> %s"
        place_params = [date, entry.pk, entry.pk]

    def side(compare: str, order: str) -> str:
        # Only names from the models and fixed operators are formatted in; values are params.
        where = " AND ".join([*conditions, place.format(compare=compare)])
        columns = f"p.id, p.id AS page_ptr_id, p.title, p.url_path, e.date, '{compare}' AS side"
        tables = f"{entry_table} e JOIN {page_table} p ON p.id = e.page_ptr_id"
        ordering = f"e.date {order}, e.page_ptr_id {order}"
        return (
            f"SELECT * FROM (SELECT {columns} FROM {tables} WHERE {where} "  # noqa: S608
            f"ORDER BY {ordering} LIMIT 1) AS {order.lower()}_entry"
        )

    params = [*shared, *place_params] * 2
    found = {
        row.side: row
        for row in EntryPage.objects.raw(
            f"{side('<', 'DESC')} UNION ALL {side('>', 'ASC')}", params
        )
    }
    return found.get("<"), found.get(">")


# An entry page's own reads, compiled once (see dragoman/core/prepared.py): building these
# statements cost the ORM longer than running them.
_entry_at_address = PreparedQuery(
    lambda url_path: EntryPage.objects.filter(url_path=url_path).order_by("path")[:1],
    url_path=str,
)
# Only the bloggers: their missions and photos show in the author boxes, rendered once each.
_entry_credits = PreparedQuery(
    lambda entry_id: (
        EntryAuthor.objects.filter(entry_id=entry_id)
        .select_related("blogger")
        .order_by("sort_order", "pk")
    ),
    entry_id=int,
)
_entry_tagging = PreparedQuery(
    lambda entry_id: (
        EntryTag.objects.filter(content_object_id=entry_id).select_related("tag").order_by("pk")
    ),
    entry_id=int,
)


def entry_at_address(*, url_path: str) -> EntryPage | None:
    """The entry whose tree address (Wagtail's url_path) this is, if any, in any state."""
    found = _entry_at_address(url_path=url_path)
    return found[0] if found else None


def entry_page_context(*, entry: EntryPage) -> dict[str, Any]:
    blog = blog_of(entry)
    previous_entry, next_entry = entry_neighbours(entry, blog)
    # A preview holds the revision's authors and tags in memory, not the saved ones.
    if entry.pk and not entry.entry_authors.is_deferring:
        entry.known_authors = [credit.blogger for credit in _entry_credits(entry_id=entry.pk)]
    if entry.pk and not entry.tagged_items.is_deferring:
        tags = [item.tag for item in _entry_tagging(entry_id=entry.pk)]
    else:
        tags = [item.tag for item in entry.tagged_items.all()]
    image = entry_image(entry, blog)
    image_url = ""
    if image is not None:
        image_url = on_reader_host(image.get_rendition("fill-1200x630").full_url)
    return {
        "blog": blog,
        "entry_tags": tags,
        "previous_entry": previous_entry,
        "next_entry": next_entry,
        "social_image": image,
        "share_links": share_links(
            url=on_canonical_host(entry.full_url or ""), title=entry.title, entry_id=entry.pk
        ),
        "structured_data": structured_data.blog_posting(
            entry=entry, blog=blog, tags=tags, image_url=image_url
        ),
    }


PagesT = TypeVar("PagesT", bound=QuerySet[Any])


def admin_pages_visible(*, user: Any, pages: PagesT) -> PagesT:
    """The pages of `pages` this user may see listed in the admin: every live page this
    user could read (readers see it anyway), and drafts only where the user may edit them.

    A draft's title can be news before its time (a visit, a statement): a blogger must never
    read the titles of another blog's drafts in a report, a chooser or a count; nor anyone
    the titles in a private section (a members-only community's blog) they may not read.
    """
    if user.is_superuser:
        return pages
    editable = PagePermissionPolicy().instances_user_has_any_permission_for(
        user, ["change", "publish"]
    )
    readable = Q(live=True)
    for path in hidden_paths(user):
        readable &= ~Q(path__startswith=path)
    return pages.filter(readable | Q(pk__in=editable.values("pk")))
