"""Bulk synthetic entries for benchmarks: `dragoman seed --entries N`.

Creating an entry through Wagtail (`add_child`, a revision, a publish) takes tens of
milliseconds, so a million entries would take days. Here each batch's rows are made in
memory and written table by table in one statement each (PostgreSQL's COPY, or one
`executemany` on SQLite): the pages with their tree position (treebeard path, depth,
numchild) and `url_path` computed up front, the entries, their authors and tags, the
footprints the next change compares with, the readers' comments and the official replies,
and the search documents (on PostgreSQL with the vector computed as the rows go in). The
result is what Wagtail and the app would have made: the admin lists and edits these entries,
public pages, feeds and counts show them, search finds them, and `Page.find_problems()` finds
nothing. What is skipped on purpose: revisions (an entry without one is edited from its live
content). The listing counts are counted again and the page cache refreshed once at the end.

Text comes from pools made once per run (`prose.py`), so that generating an entry is picking
and joining finished pieces.

The scaffolding (missions, bloggers, blogs, tags) is made once, with slugs starting `seed-`,
and reused by later runs, which only add entries.
"""

from __future__ import annotations

import itertools
import json
import queue
import random
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.images.models import Image
from wagtail.models import Locale, Page

from dragoman.blogs import services as blog_services
from dragoman.blogs.models import (
    Blogger,
    BlogPage,
    EntryAuthor,
    EntryFootprint,
    EntryPage,
    EntryTag,
)
from dragoman.conversations.models import Comment
from dragoman.missions.models import Continent, Mission
from dragoman.publishing import services as publishing_services
from dragoman.search.engines import get_engine
from dragoman.search.engines.postgres import text_search_config, vector_expression
from dragoman.search.engines.sqlite import document_filter_words
from dragoman.search.models import EntryDocument, IndexedAuthor, IndexedTag
from dragoman.search.services import plain_text

from .prose import Block, Prose

SLUG_PREFIX = "seed-"
ENTRIES_PER_BLOG = 500  # how many entries a synthetic blog gets on average
MAX_BLOGS = 200
BLOGGERS_PER_BLOG = 2
TAGS_PER_ENTRY = (1, 4)

TOPICS = [
    "climate",
    "trade",
    "water",
    "culture",
    "education",
    "scholarships",
    "health",
    "security",
    "human rights",
    "energy",
    "elections",
    "consular",
    "visas",
    "alumni",
    "science",
    "technology",
    "migration",
    "refugees",
    "food security",
    "oceans",
    "forests",
    "sport",
    "music",
    "languages",
    "women in diplomacy",
    "youth",
    "press freedom",
    "development",
    "disaster relief",
    "cyber",
    "space",
    "archives",
    "heritage",
    "tourism",
    "transport",
    "cities",
    "agriculture",
    "fisheries",
    "innovation",
    "exports",
]
CITIES = [
    ("Accra", "Ghana", "GH", Continent.AFRICA),
    ("Addis Ababa", "Ethiopia", "ET", Continent.AFRICA),
    ("Dakar", "Senegal", "SN", Continent.AFRICA),
    ("Lusaka", "Zambia", "ZM", Continent.AFRICA),
    ("Bogotá", "Colombia", "CO", Continent.AMERICAS),
    ("Lima", "Peru", "PE", Continent.AMERICAS),
    ("Ottawa", "Canada", "CA", Continent.AMERICAS),
    ("Santiago", "Chile", "CL", Continent.AMERICAS),
    ("Hanoi", "Vietnam", "VN", Continent.ASIA),
    ("Manila", "Philippines", "PH", Continent.ASIA),
    ("Seoul", "South Korea", "KR", Continent.ASIA),
    ("Tokyo", "Japan", "JP", Continent.ASIA),
    ("Berlin", "Germany", "DE", Continent.EUROPE),
    ("Lisbon", "Portugal", "PT", Continent.EUROPE),
    ("Vilnius", "Lithuania", "LT", Continent.EUROPE),
    ("Warsaw", "Poland", "PL", Continent.EUROPE),
    ("Beirut", "Lebanon", "LB", Continent.MIDDLE_EAST),
    ("Muscat", "Oman", "OM", Continent.MIDDLE_EAST),
    ("Canberra", "Australia", "AU", Continent.OCEANIA),
    ("Suva", "Fiji", "FJ", Continent.OCEANIA),
]
SENTENCES = [
    "We met partners from government, business and civil society to talk about what comes next.",
    "The numbers matter, but the stories behind them matter more.",
    "Our team spent the week travelling to places few visitors see.",
    "Several readers asked questions last month; here are some answers.",
    "It is a small programme, but it has already changed how people work together.",
    "The conference ended with a joint statement and, more usefully, a list of next steps.",
    "Local newspapers covered the visit, and the conversation continued online.",
    "A year ago this would have seemed impossible; today it is routine.",
    "Students who studied abroad came back with ideas they are now putting to work.",
    "We will report back when the first results are in.",
    "The mayor showed us the new water works, built with a loan that our development bank arranged in 2019.",
    "Most of the people we spoke to had never met a diplomat before, and several told us so with a smile.",
    "Three ministries, two universities and a dozen small firms now share one plan, which was the hard part.",
    "The questions from the audience were sharper than the speeches, as they often are.",
    "Our consular team answered more than four hundred enquiries in the first week alone.",
    "It rained all day, the road washed out twice, and still everyone we had invited came.",
    "The exhibition travels next to the north of the country, where it will stay until the spring.",
    "We learned as much as we taught, which is how a partnership should feel.",
    "None of this would have happened without the volunteers who gave their weekends to it.",
    "The figures for the first quarter are encouraging, though it is too early to call it a trend.",
    "Two alumni of our scholarship programme now run the project, and they do it better than we did.",
    "The agreement still has to pass parliament, where the debate is likely to be long.",
    "Visitors can read the full report, in both languages, on the ministry's website.",
    "Farmers told us that the new forecasts arrive in time to change what they plant.",
    "At the end of the day the children sang, and for a moment nobody talked about budgets.",
]
# Sentences that carry a link, as real entries point to reports, programmes and videos.
LINKED_SENTENCES = [
    'The <a href="https://www.example.org/reports/annual">annual report</a> gives the details, region by region.',
    'You can <a href="https://www.example.org/scholarships">apply for next year\'s scholarships</a> until the end of March.',
    'The whole debate is <a href="https://video.example.org/watch/debate">online as a video</a>, with subtitles.',
    'Our <a href="https://www.example.org/consular/travel-advice">travel advice</a> was updated on Monday.',
    'The <a href="https://data.example.org/trade">trade figures</a> are open data, free to reuse.',
]
SUBHEADINGS = [
    "What we saw",
    "What comes next",
    "The numbers",
    "In their own words",
    "Why it matters",
    "Questions we were asked",
]
COMMENT_SENTENCES = [
    "Thank you for sharing this.",
    "Will there be a similar programme in the south of the country?",
    "I took part last year and can only recommend it.",
    "How can students from smaller universities apply?",
    "Interesting, but what about the cost for ordinary families?",
    "Great to see this work continuing.",
    "Is the report available in French as well?",
    "My town would welcome a visit like this.",
    "When will the results be published?",
    "This is the kind of cooperation we need more of.",
]
REPLY_SENTENCES = [
    "Thank you for your question. Applications open in January; the details will be on our website.",
    "Yes: the French version of the report is published next week.",
    "We hope to visit more towns next year and will announce the dates here.",
    "The programme is free for participants; travel costs are covered for those who need it.",
]  # About COMMENTS_PER_ENTRY comments per entry, replies included: readers' comments (from 40%
# to 120% of it, 80% on average), and an official answer to ANSWERED_SHARE of them.
COMMENTS_PER_ENTRY = 10
ANSWERED_SHARE = 0.25
IMAGE_POOL = 8
# Mostly English, as on the real network, with some entries in other languages and scripts.
LANGUAGES = ["en"] * 16 + ["fr", "es", "ar", "fa"]
HOUR = 3600


@dataclass(frozen=True)
class SeedReport:
    entries: int
    blogs: int
    bloggers: int
    tags: int
    seconds: float
    comments: int = 0


def seed_entries(
    *,
    count: int,
    batch_size: int = 2000,
    random_seed: int | None = None,
    years: int = 10,
    now: datetime | None = None,
    progress: Callable[[int, int], object] | None = None,
    comments_per_entry: int = COMMENTS_PER_ENTRY,
    pictures: bool = True,
) -> SeedReport:
    """Add `count` live entries, spread over blogs, bloggers, tags and the last `years` years.

    Each entry reads like a real one (a body of 3-4 KB with headings, links and a picture, one
    to four tags) and carries about `comments_per_entry` approved comments, some of them
    official answers to the others, so that pages weigh and cost what real ones do.

    Each batch is one transaction that leaves a valid page tree and right copies, so an
    interrupted run keeps what it wrote. `progress` is called after each batch with the
    numbers of entries and of comments it added.
    """
    if count < 0:
        raise ValueError("The number of entries cannot be negative.")
    started = time.perf_counter()
    rng = random.Random(random_seed)
    now = now or timezone.now()
    blogs, bloggers_of_blog = _scaffolding_ensure(count=count, rng=rng)
    tags = _tags_ensure(count=count)
    prose = _prose(rng, count)
    images = _images_ensure() if count and pictures else []
    figures = {(topic, image): _figure(topic, image) for topic in TOPICS for image in images}
    vectors = count > 0 and connection.vendor == "postgresql" and get_engine().name == "postgresql"
    if vectors:
        _vectors_prepare([*prose.blocks(), *figures.values()], LANGUAGES)
    context = _Context(
        rng=rng,
        prose=prose,
        now=int(now.timestamp()),
        span=int(timedelta(days=365 * years).total_seconds()),
        run=secrets.token_hex(3),
        blogs=[_BlogFacts.of(blog, bloggers_of_blog[blog.pk]) for blog in blogs],
        tags=[(tag.pk, tag.slug, tag.name) for tag in tags],
        # Tag use follows a long tail, as on a real network: a few tags on many entries.
        tag_cum_weights=list(itertools.accumulate(1 / (rank + 1) for rank in range(len(tags)))),
        images=images,
        comments_per_entry=comments_per_entry,
        entry_type_id=ContentType.objects.get_for_model(EntryPage).pk,
        locale_id=Locale.get_default().pk,
        steps={blog.pk: _last_child_step(blog.path, blog.depth) for blog in blogs},
        figures=figures,
        vectors=vectors,
    )
    made = comments = 0
    if count:
        get_engine().load_begin()
    try:
        for batch in _batches(context, count, batch_size):
            _batch_write(batch)
            made += len(batch.entry_ids)
            comments += batch.comments
            if progress is not None:
                progress(len(batch.entry_ids), batch.comments)
    finally:
        if count:  # the load ends, whatever stopped it (an interrupted seed keeps its batches)
            get_engine().rebuild()
    # Rows written in bulk send no signal: every cached page may now be out of date.
    blog_services.listing_counts_rebuild()
    if made and connection.vendor == "postgresql":
        # Rows copied in by the million: the planner knows nothing of them until autovacuum
        # (off on some servers) analyses the tables, and meanwhile it misjudges joins by
        # thousands of times (a search page's credits took 47 ms at 1,000,000 entries).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    publishing_services.site_refresh()
    return SeedReport(
        entries=made,
        blogs=len(blogs),
        bloggers=len({b.pk for group in bloggers_of_blog.values() for b in group}),
        tags=len(tags),
        seconds=time.perf_counter() - started,
        comments=comments,
    )


def _prose(rng: random.Random, count: int) -> Prose:
    # Small runs (tests) get small pools: making them costs more than their entries.
    return Prose(
        random.Random(rng.random()),
        scale=min(1.0, max(count, 256) / 4096),
        topics=TOPICS,
        sentences=SENTENCES,
        linked=LINKED_SENTENCES,
        headings=SUBHEADINGS,
        comment_sentences=COMMENT_SENTENCES,
        replies=REPLY_SENTENCES,
    )


@dataclass(frozen=True)
class _BlogFacts:
    """What each entry row needs of its blog, read once."""

    pk: int
    slug: str
    path: str
    depth: int
    url_path: str
    mission_id: int | None
    country_code: str
    # (blogger id, slug, display name, job title, user id)
    bloggers: list[tuple[int, str, str, str, int | None]]

    @classmethod
    def of(cls, blog: BlogPage, bloggers: list[Blogger]) -> _BlogFacts:
        mission = blog.mission
        return cls(
            pk=blog.pk,
            slug=blog.slug,
            path=blog.path,
            depth=blog.depth,
            url_path=blog.url_path,
            mission_id=mission.pk if mission else None,
            country_code=mission.country_code.upper() if mission else "",
            bloggers=[(b.pk, b.slug, b.display_name, b.job_title, b.user_id) for b in bloggers],
        )


@dataclass
class _Context:
    rng: random.Random
    prose: Prose
    now: int  # seconds since the epoch
    span: int  # how far back entries are dated, in seconds
    run: str  # distinguishes this run's slugs from earlier runs' in the same blog
    blogs: list[_BlogFacts]
    tags: list[tuple[int, str, str]]  # id, slug, name
    tag_cum_weights: list[float]
    images: list[int]
    comments_per_entry: int
    entry_type_id: int
    locale_id: int
    steps: dict[int, int]  # blog id -> treebeard step of its last child
    figures: dict[tuple[str, int], Block]  # (topic, image id) -> the entry's picture
    vectors: bool  # whether the blocks know their PostgreSQL vectors


class _Table:
    """One table's rows for one bulk write: the columns that vary per row first, then those
    that are the same on every row, prepared once from a model instance as Django saves them.
    """

    def __init__(
        self,
        model: type[models.Model],
        varying: Sequence[str],
        extra: Sequence[str] = (),
        **same: Any,
    ) -> None:
        template = model(**same)
        fields = {field.attname: field for field in model._meta.local_concrete_fields}
        others = [
            field
            for name, field in fields.items()
            # A key left out is the database's to number (an identity column, AUTOINCREMENT).
            if name not in varying and not (field.primary_key and name not in same)
        ]
        self.table = model._meta.db_table
        # `extra`: columns of a staging table only, after the varying ones.
        self.columns = (
            [str(fields[name].column) for name in varying]
            + [*extra]
            + [str(f.column) for f in others]
        )
        self.same = tuple(
            f.get_db_prep_save(getattr(template, f.attname), connection) for f in others
        )
        self.rows: list[tuple[Any, ...]] = []

    def add(self, *values: Any) -> None:
        self.rows.append(values + self.same)

    def write(self, into: str | None = None) -> None:
        if not self.rows:
            return
        table = into or self.table
        columns = ", ".join(connection.ops.quote_name(column) for column in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608 - ours
                    self.rows,
                )


def _ids_reserve(model: type[models.Model], count: int) -> list[int]:
    """`count` new keys for rows written with their key (others point to them)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the batch's transaction holds the write lock, so nobody takes these first;
        # AUTOINCREMENT remembers the highest key ever given, deleted or not.
        cursor.execute(
            f"SELECT max(coalesce((SELECT max(id) FROM {table}), 0),"  # noqa: S608 - our table
            " coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
            [table],
        )
        first = cursor.fetchone()[0] + 1
        return list(range(first, first + count))


def _moment_format(*, postgres: bool) -> Callable[[int], str]:
    """How a moment (seconds since the epoch) is written: UTC, as Django stores datetimes."""
    suffix = "+00:00" if postgres else ""

    def moment(seconds: int) -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(seconds)) + suffix

    return moment


def _body_json(blocks: Sequence[Block]) -> str:
    # Wagtail gives each block an id; an editor's save would keep these.
    return (
        "["
        + ", ".join(
            f'{{"type": "{block.type}", "value": {block.value_json}, "id": "{uuid.uuid4()}"}}'
            for block in blocks
        )
        + "]"
    )


def _figure(topic: str, image_id: int) -> Block:
    alt = f"A landscape near the mission, photographed for the {topic} programme"
    caption = f"{topic.capitalize()}: the view from the road."
    value = {"image": image_id, "alt_text": alt, "caption": caption}
    return Block("image", json.dumps(value), f"{caption} {alt}")


@dataclass
class _Batch:
    """One batch's rows, made and ready to write."""

    tables: list[_Table]
    documents: tuple[_Table, _Table, _Table]  # the search documents, their tags and authors
    children: dict[int, int]  # blog id -> entries added under it
    entry_ids: list[int]
    comments: int


def _batches(context: _Context, count: int, batch_size: int) -> Iterator[_Batch]:
    """The batches, made one after the other; on PostgreSQL made in a thread while the
    previous batch is written, so that the database and Python work at the same time."""
    ranges = [range(start, min(count, start + batch_size)) for start in range(0, count, batch_size)]
    if connection.vendor != "postgresql":
        # SQLite has one writer: keys are taken inside the batch's own transaction.
        for numbers in ranges:
            with transaction.atomic():
                yield _batch_make(context, numbers)
        return
    made: queue.Queue[_Batch | BaseException | None] = queue.Queue(maxsize=2)

    def make() -> None:
        try:
            for numbers in ranges:
                made.put(_batch_make(context, numbers))
            made.put(None)
        except BaseException as error:  # handed to the writer, which raises it
            made.put(error)
        finally:
            connection.close()  # this thread's own, used for keys only

    maker = threading.Thread(target=make, name="seed-maker", daemon=True)
    maker.start()
    while (batch := made.get()) is not None:
        if isinstance(batch, BaseException):
            raise batch
        yield batch
    maker.join()


@transaction.atomic
def _batch_write(batch: _Batch) -> None:
    """One batch of entries, with everything that hangs on them, in one transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Nothing is lost by not waiting for the disk at each commit but the last batches of
            # a crash, which a re-run adds again; it is this session's setting only.
            cursor.execute("SET LOCAL synchronous_commit = off")
    for table in batch.tables:
        table.write()
    _children_count(batch.children)
    _documents_write(*batch.documents, batch.entry_ids)


def _batch_make(context: _Context, numbers: range) -> _Batch:
    """The rows of one batch of entries and of everything that hangs on them."""
    rng, prose = context.rng, context.prose
    moment = _moment_format(postgres=connection.vendor == "postgresql")
    page_ids = _ids_reserve(Page, len(numbers))
    lo, hi = round(context.comments_per_entry * 0.4), round(context.comments_per_entry * 1.2)
    readers_per_entry = [rng.randint(lo, hi) if context.comments_per_entry else 0 for _ in numbers]
    comment_ids = iter(_ids_reserve(Comment, sum(readers_per_entry)))
    pages = _Table(
        Page,
        ["id", "path", "depth", "translation_key", "title", "draft_title", "slug", "url_path",
         "first_published_at", "last_published_at", "owner_id"],
        locale_id=context.locale_id, content_type_id=context.entry_type_id, live=True,
        numchild=0, has_unpublished_changes=False, show_in_menus=False,
    )  # fmt: skip
    entries = _Table(
        EntryPage,
        ["page_ptr_id", "blog_id", "date", "summary", "body", "language"],
        comments_open=True,
    )
    # Every seeded entry is live: the copies kept on its credits and taggings say so.
    authors = _Table(
        EntryAuthor, ["entry_id", "blogger_id", "sort_order", "entry_date"], entry_live=True
    )
    taggings = _Table(EntryTag, ["content_object_id", "tag_id", "entry_date"], entry_live=True)
    footprints = _Table(
        EntryFootprint,
        ["entry_id", "blog_id", "blog_slug", "date", "blogger_slugs", "tag_slugs", "url_path",
         "path"],
        live=True,
    )  # fmt: skip
    readers = _Table(
        Comment,
        ["id", "entry_id", "blog_id", "name", "body", "body_html", "body_hash", "created_at",
         "published_at", "moderated_at", "moderated_by_id"],
        status=Comment.Status.APPROVED,
    )  # fmt: skip
    replies = _Table(
        Comment,
        ["entry_id", "blog_id", "parent_id", "name", "job_title", "author_id", "body",
         "body_html", "body_hash", "created_at", "published_at", "moderated_at",
         "moderated_by_id"],
        status=Comment.Status.APPROVED,
    )  # fmt: skip
    vectors = context.vectors
    documents = _Table(
        EntryDocument,
        ["entry_id", "blog_id", "mission_id", "country_code", "language", "date", "year",
         "title", "summary", "body", "tags", "authors", "tag_slugs", "filter_words",
         "text_config"],
        extra=["body_blocks"] if vectors else (),
    )  # fmt: skip
    document_tags = _Table(IndexedTag, ["document_id", "slug", "name"])
    document_authors = _Table(IndexedAuthor, ["document_id", "blogger_id"])

    children: dict[int, int] = {}
    steps = context.steps
    paragraphs, linked, lists, headings = (
        prose.paragraphs,
        prose.linked,
        prose.lists,
        prose.headings,
    )
    for number, page_id, reader_count in zip(numbers, page_ids, readers_per_entry, strict=True):
        blog = rng.choice(context.blogs)
        children[blog.pk] = children.get(blog.pk, 0) + 1
        step = steps[blog.pk] = steps[blog.pk] + 1
        path = Page._get_path(blog.path, blog.depth + 1, step)
        slug = f"entry-{context.run}-{number}"
        url_path = f"{blog.url_path}{slug}/"
        topic = rng.choice(TOPICS)
        title = f"{topic.capitalize()}: {rng.choice(prose.titles)}"
        summary = rng.choice(prose.summaries)
        language = rng.choice(LANGUAGES)
        config = text_search_config(language)
        seconds = context.now - rng.randint(60, context.span)
        date = moment(seconds)
        credited = rng.sample(blog.bloggers, k=min(len(blog.bloggers), rng.choice((1, 1, 2))))
        chosen: dict[int, tuple[int, str, str]] = {}
        for tag in rng.choices(context.tags, cum_weights=context.tag_cum_weights,
                               k=rng.randint(*TAGS_PER_ENTRY)):  # fmt: skip
            chosen.setdefault(tag[0], tag)
        entry_tags = list(chosen.values())
        blocks = [
            rng.choice(paragraphs),
            rng.choice(linked),
            headings[number % len(headings)],
            rng.choice(paragraphs),
        ]
        if context.images:
            blocks.append(context.figures[(topic, rng.choice(context.images))])
        blocks += [
            rng.choice(linked),
            headings[-1],
            rng.choice(lists),
            rng.choice(paragraphs),
            rng.choice(paragraphs),
        ]
        owner = credited[0][4] if credited else None
        pages.add(page_id, path, blog.depth + 1, uuid.uuid4().hex, title, title, slug, url_path,
                  date, date, owner)  # fmt: skip
        entries.add(page_id, blog.pk, date, summary, _body_json(blocks), language)
        for order, credit in enumerate(credited):
            authors.add(page_id, credit[0], order, date)
        for tag_id, _slug, _name in entry_tags:
            taggings.add(page_id, tag_id, date)
        tag_slugs = [tag_slug for _id, tag_slug, _name in entry_tags]
        footprints.add(
            page_id, blog.pk, blog.slug, date, json.dumps(sorted({c[1] for c in credited})),
            json.dumps(sorted(tag_slugs)), url_path, path,
        )  # fmt: skip
        year = timezone.localtime(datetime.fromtimestamp(seconds, UTC)).year
        documents.add(
            page_id, blog.pk, blog.mission_id, blog.country_code, language, date, year,
            title, summary,  " ".join(block.text for block in blocks),
            plain_text(" ".join(name for _id, _slug, name in entry_tags)),
            plain_text(" ".join(credit[2] for credit in credited)),
            " ".join(tag_slugs)[:1000],
            document_filter_words(
                language=language, year=year, blog_id=blog.pk, mission_id=blog.mission_id,
                country_code=blog.country_code, tag_slugs=[s[:100] for s in tag_slugs],
                blogger_ids=[credit[0] for credit in credited],
            ),
            config,
            *([[block.number for block in blocks]] if vectors else ()),
        )  # fmt: skip
        for _id, tag_slug, name in entry_tags:
            document_tags.add(page_id, tag_slug[:100], name[:100])
        for credit in credited:
            document_authors.add(page_id, credit[0])
        # The conversation: readers over the days after the entry, each approved by the
        # entry's first blogger some hours later, a share of them answered by the same.
        answerer = credited[0] if credited else blog.bloggers[0]
        for order, text in enumerate(rng.sample(prose.comments, reader_count)):
            written = min(seconds + HOUR * (3 + 7 * order) + rng.randint(0, HOUR), context.now)
            approved = min(written + rng.randint(600, 12 * HOUR), context.now)
            reader_id = next(comment_ids)
            readers.add(
                reader_id, page_id, blog.pk, rng.choice(prose.names), text.body, text.html,
                text.hash, moment(written), moment(approved), moment(approved), answerer[4],
            )  # fmt: skip
            if rng.random() < ANSWERED_SHARE:
                reply = rng.choice(prose.replies)
                answered = moment(min(approved + 20 * HOUR, context.now))
                replies.add(
                    page_id, blog.pk, reader_id, answerer[2], answerer[3], answerer[4],
                    reply.body, reply.html, reply.hash, answered, answered, answered, answerer[4],
                )  # fmt: skip
    return _Batch(
        tables=[pages, entries, authors, taggings, footprints, readers, replies],
        documents=(documents, document_tags, document_authors),
        children=children,
        entry_ids=page_ids,
        comments=len(readers.rows) + len(replies.rows),
    )


def _children_count(children: dict[int, int]) -> None:
    """The blogs' child counts, moved by this batch's entries, in one statement."""
    cases = " ".join("WHEN %s THEN %s" for _ in children)
    params: list[int] = [value for pair in children.items() for value in pair]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE wagtailcore_page SET numchild = numchild + CASE id {cases} END"  # noqa: S608
            f" WHERE id IN ({', '.join(['%s'] * len(children))})",
            [*params, *children],
        )


def _documents_write(
    documents: _Table, document_tags: _Table, document_authors: _Table, entry_ids: list[int]
) -> None:
    """The search documents, as `search.services.documents_write` writes them, and indexed."""
    engine = get_engine()
    if connection.vendor == "postgresql" and engine.name == "postgresql":
        # Through a temporary table, so that each row is written once, its vector with it.
        columns = ", ".join(column for column in documents.columns if column != "body_blocks")
        expression = vector_expression(
            body=_body_vector_sql("text_config"), body_simple=_body_vector_sql("'simple'")
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMPORARY TABLE IF NOT EXISTS seed_entrydocument (LIKE"
                " search_entrydocument, body_blocks integer[])"
                " ON COMMIT DELETE ROWS"
            )
            documents.write(into="seed_entrydocument")
            cursor.execute(
                f"INSERT INTO search_entrydocument ({columns}, vector)"  # noqa: S608 - ours
                f" SELECT {columns}, {expression} FROM seed_entrydocument"
            )
            # Emptied at once: a batch inside a longer transaction (tests) commits nothing.
            cursor.execute("TRUNCATE seed_entrydocument")
    else:
        documents.write()  # SQLite's FTS5 table follows by its triggers
    document_tags.write()
    document_authors.write()
    if engine.name not in ("postgresql", "sqlite"):
        engine.index(list(EntryDocument.objects.filter(pk__in=entry_ids)))


# A word no configuration drops, that marks where a block's positions end (see below).
SENTINEL = "xqzv"


def _vectors_prepare(blocks: Sequence[Block], languages: Sequence[str]) -> None:
    """Each block's vector per text search configuration in use, computed by PostgreSQL once
    and kept in a temporary table, from which the documents' body vectors are put together.

    Stemming a body's words is most of what indexing an entry costs the database. A body is
    blocks joined by spaces, and `to_tsvector` numbers every word (stop words included) in
    order, so the body's vector is its blocks' vectors, each one's positions moved on by the
    words of the blocks before it. PostgreSQL's `||` moves the right vector's positions on by
    the left one's last position: the sentinel marks each block's last word (a stop word
    has no position of its own), and is deleted from the whole.
    """
    configs = sorted({text_search_config(language) for language in languages} | {"simple"})
    for number, block in enumerate(blocks, start=1):
        block.number = number
    texts = [block.text + " " + SENTINEL for block in blocks]
    rows: list[tuple[str, int, str]] = []
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS seed_blockvector"
            " (config text, number integer, vector tsvector, PRIMARY KEY (config, number))"
        )
        cursor.execute("TRUNCATE seed_blockvector")
        cursor.execute(
            "CREATE OR REPLACE AGGREGATE pg_temp.seed_concat(tsvector)"
            " (SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = '')"
        )
        for config in configs:
            cursor.execute(
                "SELECT s.n, u.lexeme, u.positions FROM unnest(%s::text[]) WITH ORDINALITY"
                " AS s(t, n), unnest(to_tsvector(%s::regconfig, s.t)) AS u",
                [texts, config],
            )
            lexemes: dict[int, list[tuple[str, list[int]]]] = {}
            for number, lexeme, positions in cursor.fetchall():
                lexemes.setdefault(number, []).append((lexeme, positions))
            for number in range(1, len(blocks) + 1):
                found = lexemes.get(number, [])
                # The sentinel is the text's last word: the block's words end just before it.
                last = max((max(positions) for _lexeme, positions in found), default=1) - 1
                words = [
                    "'"
                    + lexeme.replace("\\", "\\\\").replace("'", "''")
                    + "':"
                    + ",".join(map(str, positions))
                    for lexeme, positions in found
                    if max(positions) <= last
                ]
                if last:
                    words.append(f"{SENTINEL}:{last}")
                rows.append((config, number, " ".join(words)))
        cursor.executemany(
            "INSERT INTO seed_blockvector (config, number, vector) VALUES (%s, %s, %s)", rows
        )


def _body_vector_sql(config: str) -> str:
    """A staged document's body vector, from its blocks' vectors (see `_vectors_prepare`)."""
    return (
        f"(SELECT ts_delete(pg_temp.seed_concat(v.vector ORDER BY b.place), '{SENTINEL}')"  # noqa: S608 - ours
        " FROM unnest(body_blocks) WITH ORDINALITY AS b(number, place)"
        f" JOIN seed_blockvector v ON v.number = b.number AND v.config = {config})"
    )


def _last_child_step(path: str, depth: int) -> int:
    """The treebeard step of the parent's last child (0 for a parent with none)."""
    last = (
        Page.objects.filter(path__startswith=path, depth=depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    return 0 if last is None else Page._str2int(last[-Page.steplen :])


def _images_ensure() -> list[int]:
    """A few pictures shared by every seeded entry (their renditions made once, as a real
    network's entries each have their own but a page renders one)."""
    from .images import image_create, landscape_png

    titles = [f"{SLUG_PREFIX}picture {number + 1}" for number in range(IMAGE_POOL)]
    existing = dict(Image.objects.filter(title__in=titles).values_list("title", "pk"))
    return [
        existing.get(title)
        or image_create(title=title, png=landscape_png(seed=500 + number, width=800, height=450)).pk
        for number, title in enumerate(titles)
    ]


def _scaffolding_ensure(
    *, count: int, rng: random.Random
) -> tuple[list[BlogPage], dict[int, list[Blogger]]]:
    """Synthetic missions, bloggers and blogs in proportion to `count`, made once."""
    blog_count = max(4, min(MAX_BLOGS, count // ENTRIES_PER_BLOG))
    _home, index = blog_services.network_ensure()
    existing = {
        blog.slug: blog
        for blog in BlogPage.objects.filter(slug__startswith=SLUG_PREFIX).prefetch_related(
            "bloggers"
        )
    }
    missions = _missions_ensure(count=max(4, blog_count // 5))
    blogs = []
    for number in range(blog_count):
        slug = f"{SLUG_PREFIX}blog-{number + 1}"
        blog = existing.get(slug)
        if blog is None:
            mission = missions[number % len(missions)]
            bloggers = [
                _blogger_ensure(number=number * BLOGGERS_PER_BLOG + offset + 1, mission=mission)
                for offset in range(BLOGGERS_PER_BLOG)
            ]
            topic = TOPICS[number % len(TOPICS)]
            blog = blog_services.blog_create(
                index=index,
                title=f"{mission.city} notes {number + 1}: {topic}",
                slug=slug,
                description=f"Synthetic blog about {topic} from the {mission.name}.",
                bloggers=bloggers,
                mission=mission,
            )
        blogs.append(blog)
    # Re-read: the tree fields (path, numchild) must be current, not those of creation time.
    fresh = {
        blog.pk: blog
        for blog in BlogPage.objects.filter(pk__in=[b.pk for b in blogs]).prefetch_related(
            "bloggers"
        )
    }
    ordered = [fresh[blog.pk] for blog in blogs]
    bloggers_of_blog = {blog.pk: list(blog.bloggers.all()) for blog in ordered}
    rng.shuffle(ordered)
    return ordered, bloggers_of_blog


def _missions_ensure(*, count: int) -> list[Mission]:
    missions = []
    for number, (city, country, code, continent) in zip(
        range(count), itertools.cycle(CITIES), strict=False
    ):
        slug = f"{SLUG_PREFIX}mission-{number + 1}"
        mission, _created = Mission.objects.get_or_create(
            slug=slug,
            defaults={
                "name": f"Embassy in {city}"
                + (f" ({number + 1})" if number >= len(CITIES) else ""),
                "kind": Mission.Kind.EMBASSY,
                "city": city,
                "country": country,
                "country_code": code,
                "continent": continent,
            },
        )
        missions.append(mission)
    return missions


def _blogger_ensure(*, number: int, mission: Mission) -> Blogger:
    slug = f"{SLUG_PREFIX}blogger-{number}"
    blogger = Blogger.objects.filter(slug=slug).first()
    if blogger is None:
        # An account of their own, as a real blogger has: their entries' owner, and the
        # author of their official replies (it cannot sign in: no password).
        user = get_user_model().objects.create_user(username=slug, password=None)
        blogger = blog_services.blogger_create(
            display_name=f"Synthetic Blogger {number}",
            slug=slug,
            job_title="Press Officer",
            mission=mission,
            bio=f"A synthetic blogger writing from {mission.city}.",
            user=user,
        )
    return blogger


def _tags_ensure(*, count: int) -> list[Tag]:
    """A pool of tags that grows with the number of entries (at most a few hundred)."""
    size = max(len(TOPICS), min(400, count // 100))
    names = [
        topic if number == 0 else f"{topic} {number + 1}"
        for number in range((size + len(TOPICS) - 1) // len(TOPICS))
        for topic in TOPICS
    ][:size]
    slugs = {slugify(name): name for name in names}
    existing = {tag.slug: tag for tag in Tag.objects.filter(slug__in=slugs)}
    Tag.objects.bulk_create(
        [Tag(name=name, slug=slug) for slug, name in slugs.items() if slug not in existing],
        ignore_conflicts=True,
    )
    by_slug = {tag.slug: tag for tag in Tag.objects.filter(slug__in=slugs)}
    return [by_slug[slug] for slug in slugs if slug in by_slug]
