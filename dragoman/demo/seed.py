"""Bulk synthetic entries for benchmarks: `dragoman seed --entries N`.

Creating an entry through Wagtail (`add_child`, a revision, a publish) takes tens of
milliseconds, so 100,000 entries would take hours. Here the page rows are written in batches
with their tree position (treebeard path, depth, numchild) and `url_path` computed up front,
then the entry, author and tag rows, so that the result is what Wagtail would have made:
the admin lists and edits these entries, public pages and feeds show them, and
`Page.find_problems()` finds nothing. What is skipped on purpose: revisions (an entry without
one is edited from its live content) and the search index (rebuild it after seeding, as after
any bulk import). The page cache is refreshed once at the end.

The scaffolding (missions, bloggers, blogs, tags) is made once, with slugs starting `seed-`,
and reused by later runs, which only add entries.
"""

from __future__ import annotations

import itertools
import random
import secrets
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.images.models import Image
from wagtail.models import Locale, Page

from dragoman.blogs import services as blog_services
from dragoman.blogs.models import Blogger, BlogPage, EntryAuthor, EntryPage, EntryTag
from dragoman.conversations.defences import body_hash
from dragoman.conversations.models import Comment
from dragoman.conversations.rendering import comment_html
from dragoman.missions.models import Continent, Mission
from dragoman.publishing import services as publishing_services

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
]
COMMENTERS = ["Amina", "Tom", "Sofía", "Yusuf", "Marie", "Arash", "Olga", "Kofi", "Priya", "Li Wei"]
# Comments per entry average about COMMENTS_PER_ENTRY; a share of them gets an official answer.
COMMENTS_PER_ENTRY = 10
ANSWERED_SHARE = 0.3
IMAGE_POOL = 8
# Mostly English, as on the real network, with some entries in other languages and scripts.
LANGUAGES = ["en"] * 16 + ["fr", "es", "ar", "fa"]


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
    progress: Callable[[int], object] | None = None,
    comments_per_entry: int = COMMENTS_PER_ENTRY,
    pictures: bool = True,
) -> SeedReport:
    """Add `count` live entries, spread over blogs, bloggers, tags and the last `years` years.

    Each entry reads like a real one (a body of 3-4 KB with headings, links and a picture, one
    to four tags) and carries about `comments_per_entry` approved comments, some answered
    officially, so that pages weigh and cost what real ones do.

    Each batch is one transaction that leaves a valid page tree, so an interrupted run keeps
    what it wrote. `progress` is called with the number of entries each batch added.
    """
    if count < 0:
        raise ValueError("The number of entries cannot be negative.")
    started = time.perf_counter()
    rng = random.Random(random_seed)
    now = now or timezone.now()
    blogs, bloggers_of_blog = _scaffolding_ensure(count=count, rng=rng)
    tags = _tags_ensure(count=count)
    # Tag use follows a long tail, as on a real network: a few tags on many entries.
    tag_weights = [1 / (rank + 1) for rank in range(len(tags))]
    context = _BatchContext(
        entry_type_id=ContentType.objects.get_for_model(EntryPage).pk,
        locale_id=Locale.get_default().pk,
        run=secrets.token_hex(3),
        next_step={blog.pk: _next_child_step(blog) for blog in blogs},
        image_ids=_images_ensure() if count and pictures else [],
    )
    span_seconds = int(timedelta(days=365 * years).total_seconds())
    made = comments = 0
    for batch_numbers in _batches(range(count), batch_size):
        plans = []
        for number in batch_numbers:
            blog = rng.choice(blogs)
            candidates = bloggers_of_blog[blog.pk]
            plans.append(
                _EntryPlan(
                    number=number,
                    blog=blog,
                    authors=rng.sample(candidates, k=min(len(candidates), rng.choice((1, 1, 2)))),
                    tags=_distinct(
                        rng.choices(tags, weights=tag_weights, k=rng.randint(*TAGS_PER_ENTRY))
                    ),
                    date=now - timedelta(seconds=rng.randint(60, span_seconds)),
                    topic=rng.choice(TOPICS),
                    language=rng.choice(LANGUAGES),
                    sentences=rng.sample(SENTENCES, k=len(SENTENCES)),
                    links=rng.sample(LINKED_SENTENCES, k=2),
                    image_id=rng.choice(context.image_ids) if context.image_ids else 0,
                    comments=_comments_plan(rng, comments_per_entry),
                )
            )
        _batch_insert(plans, context)
        made += len(plans)
        comments += sum(len(plan.comments) + sum(plan.comments) for plan in plans)
        if progress is not None:
            progress(len(plans))
    # Rows written in bulk send no signal: every cached page may now be out of date.
    blog_services.listing_counts_rebuild()
    publishing_services.site_refresh()
    return SeedReport(
        entries=made,
        blogs=len(blogs),
        bloggers=len({b.pk for group in bloggers_of_blog.values() for b in group}),
        tags=len(tags),
        seconds=time.perf_counter() - started,
        comments=comments,
    )


@dataclass
class _BatchContext:
    entry_type_id: int
    locale_id: int
    run: str  # distinguishes this run's slugs from earlier runs' in the same blog
    next_step: dict[int, int]  # blog id -> treebeard step of its next child
    image_ids: list[int]


@dataclass(frozen=True)
class _EntryPlan:
    number: int
    blog: BlogPage
    authors: list[Blogger]
    tags: list[Tag]
    date: datetime
    topic: str
    language: str
    sentences: list[str]
    links: list[str]
    image_id: int
    # One item per reader's comment: whether it got an official answer (1) or not (0).
    comments: list[int]


def _comments_plan(rng: random.Random, mean: int) -> list[int]:
    """About `mean` comments (from none to twice as many), each answered or not."""
    if mean <= 0:
        return []
    return [int(rng.random() < ANSWERED_SHARE) for _ in range(rng.randint(0, 2 * mean))]


def _paragraph(sentences: list[str]) -> dict[str, Any]:
    return {"type": "paragraph", "value": "<p>" + " ".join(sentences) + "</p>"}


def _body(plan: _EntryPlan) -> list[dict[str, Any]]:
    """About 3.5 KB of blocks: two sections of paragraphs with links, a list and a figure."""
    words = plan.sentences
    second, third = SUBHEADINGS[plan.number % len(SUBHEADINGS)], SUBHEADINGS[-1]
    figure = [
        {
            "type": "image",
            "value": {
                "image": plan.image_id,
                "alt_text": f"A landscape near the mission, photographed for the {plan.topic} programme",
                "caption": f"{plan.topic.capitalize()}: the view from the road.",
            },
        }
    ]
    return [
        _paragraph(words[0:4]),
        _paragraph([*words[4:7], plan.links[0]]),
        {"type": "heading", "value": {"text": second, "level": "h2"}},
        _paragraph(words[7:11]),
        *(figure if plan.image_id else []),
        _paragraph([*words[11:14], plan.links[1]]),
        {"type": "heading", "value": {"text": third, "level": "h2"}},
        {
            "type": "paragraph",
            "value": "<ul>" + "".join(f"<li>{w}</li>" for w in words[14:17]) + "</ul>",
        },
        _paragraph(words[17:21]),
        _paragraph(words[21:25]),
    ]


def _batches(items: range, size: int) -> Iterator[range]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _distinct(tags: list[Tag]) -> list[Tag]:
    return list({tag.pk: tag for tag in tags}.values())


def _next_child_step(parent: Page) -> int:
    """The treebeard step after the parent's last child (1 for a parent with none)."""
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    if last is None:
        return 1
    return Page._str2int(last[-Page.steplen :]) + 1


@transaction.atomic
def _batch_insert(plans: Sequence[_EntryPlan], context: _BatchContext) -> None:
    pages = []
    children_added: Counter[int] = Counter()
    for plan in plans:
        blog = plan.blog
        step = context.next_step[blog.pk]
        context.next_step[blog.pk] = step + 1
        children_added[blog.pk] += 1
        slug = f"entry-{context.run}-{plan.number}"
        title = f"{plan.topic.capitalize()}: notes {context.run}-{plan.number}"
        pages.append(
            Page(
                path=Page._get_path(blog.path, blog.depth + 1, step),
                depth=blog.depth + 1,
                numchild=0,
                translation_key=uuid.uuid4(),
                locale_id=context.locale_id,
                content_type_id=context.entry_type_id,
                title=title,
                draft_title=title,
                slug=slug,
                url_path=f"{blog.url_path}{slug}/",
                live=True,
                has_unpublished_changes=False,
                first_published_at=plan.date,
                last_published_at=plan.date,
                show_in_menus=False,
            )
        )
    Page.objects.bulk_create(pages)

    entries = []
    for plan, page in zip(plans, pages, strict=True):
        entry = EntryPage(
            page_ptr_id=page.pk,
            blog_id=plan.blog.pk,
            date=plan.date,
            summary=f"{plan.sentences[0]} {plan.sentences[1]}",
            body=_body(plan),
            language=plan.language,
            comments_open=True,
        )
        entries.append(entry)
    # Django's bulk_create refuses multi-table children; the parent rows exist already, so
    # only the entry table's own columns are inserted, as `save_base(raw=True)` would.
    EntryPage.objects.all()._batched_insert(
        entries, fields=EntryPage._meta.local_concrete_fields, batch_size=None
    )

    EntryAuthor.objects.bulk_create(
        EntryAuthor(entry_id=page.pk, blogger_id=author.pk, sort_order=order)
        for plan, page in zip(plans, pages, strict=True)
        for order, author in enumerate(plan.authors)
    )
    EntryTag.objects.bulk_create(
        EntryTag(content_object_id=page.pk, tag_id=tag.pk, entry_live=True, entry_date=plan.date)
        for plan, page in zip(plans, pages, strict=True)
        for tag in plan.tags
    )
    for blog_id, added in children_added.items():
        Page.objects.filter(pk=blog_id).update(numchild=F("numchild") + added)
    _comments_insert(plans, pages)


def _comments_insert(plans: Sequence[_EntryPlan], pages: Sequence[Page]) -> None:
    """Approved readers' comments, written over the days after the entry, and the official
    replies to some of them, in two bulk inserts (replies need their comment's key)."""
    now = timezone.now()
    comments: list[Comment] = []
    answered: list[tuple[Comment, _EntryPlan]] = []
    for plan, page in zip(plans, pages, strict=True):
        for number, answer in enumerate(plan.comments):
            body = " ".join(
                COMMENT_SENTENCES[(plan.number + number + k) % len(COMMENT_SENTENCES)]
                for k in range(2)
            )
            when = min(plan.date + timedelta(hours=3 + 7 * number), now)
            comment = Comment(
                entry_id=page.pk,
                blog_id=plan.blog.pk,
                name=COMMENTERS[(plan.number + number) % len(COMMENTERS)],
                body=body,
                body_html=comment_html(body),
                body_hash=body_hash(body),
                status=Comment.Status.APPROVED,
                created_at=when,
                published_at=when,
                moderated_at=when,
            )
            comments.append(comment)
            if answer:
                answered.append((comment, plan))
    Comment.objects.bulk_create(comments, batch_size=5000)
    replies = []
    for comment, plan in answered:
        blogger = plan.authors[0] if plan.authors else None
        body = REPLY_SENTENCES[comment.pk % len(REPLY_SENTENCES)]
        when = min(comment.created_at + timedelta(hours=20), now)
        replies.append(
            Comment(
                entry_id=comment.entry_id,
                blog_id=comment.blog_id,
                parent_id=comment.pk,
                name=blogger.display_name if blogger else "Moderator",
                job_title=blogger.job_title if blogger else "Moderator",
                body=body,
                body_html=comment_html(body),
                body_hash=body_hash(body),
                status=Comment.Status.APPROVED,
                created_at=when,
                published_at=when,
            )
        )
    Comment.objects.bulk_create(replies, batch_size=5000)


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
        blogger = blog_services.blogger_create(
            display_name=f"Synthetic Blogger {number}",
            slug=slug,
            job_title="Press Officer",
            mission=mission,
            bio=f"A synthetic blogger writing from {mission.city}.",
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
