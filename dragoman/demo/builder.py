"""Build the fictional demo network that `make demo` serves."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from dragoman.authoring.demo import demo_people_create
from dragoman.blogs import services as blog_services
from dragoman.blogs.models import EntryPage
from dragoman.campaigns.demo import demo_campaign_build
from dragoman.channels.demo import demo_channels_build
from dragoman.communities.demo import demo_community_build
from dragoman.core.services import network_names_set
from dragoman.evaluation.demo import demo_figures_build
from dragoman.federation.demo import demo_federation_build
from dragoman.missions.models import Mission
from dragoman.questions.demo import demo_questions_build
from dragoman.subscriptions.demo import demo_subscriptions_build

from . import content
from .conversations import demo_conversations_build
from .images import image_create, landscape_png, portrait_png

DEMO_ADMIN_USERNAME = "admin"
DEMO_ADMIN_PASSWORD = "demo-only-password"  # noqa: S105 - printed to the demo's user on purpose
DEMO_ENTRY_COUNT = 60


def paragraphs_to_body(paragraphs: list[str]) -> list[tuple[str, Any]]:
    return [("paragraph", f"<p>{escape(text)}</p>") for text in paragraphs]


def demo_exists() -> bool:
    return Mission.objects.filter(slug=content.MISSIONS[0][0]).exists()


@transaction.atomic
def demo_build(*, now: datetime | None = None, report: Callable[[str], None] = print) -> None:
    """Create missions, bloggers, blogs, 60 entries over two years, tags, best bits and
    conversations."""
    now = now or timezone.now()
    rng = random.Random(2010)
    home, index = blog_services.network_ensure()
    home.introduction = (
        "Diplomats blog from their posts around the world. The digital team gives them "
        "permission and advice; the words are their own."
    )
    home.save_revision().publish()
    network_names_set(names=content.NETWORK_NAMES)

    missions = {
        slug: Mission.objects.create(
            slug=slug,
            name=name,
            kind=kind,
            city=city,
            country=country,
            country_code=code,
            continent=continent,
        )
        for slug, name, kind, city, country, code, continent in content.MISSIONS
    }
    report(f"{len(missions)} missions")

    bloggers = {}
    for number, (slug, name, job, mission_slug, bio) in enumerate(content.BLOGGERS):
        photo = image_create(title=f"Portrait of {name}", png=portrait_png(seed=number))
        bloggers[slug] = blog_services.blogger_create(
            display_name=name,
            slug=slug,
            job_title=job,
            mission=missions[mission_slug],
            bio=bio,
            photo=photo,
        )
    report(f"{len(bloggers)} bloggers")

    blogs = {}
    for number, (slug, title, description, mission_slug, author_slugs, language) in enumerate(
        content.BLOGS
    ):
        top_image = image_create(title=f"{title} top image", png=landscape_png(seed=100 + number))
        blogs[slug] = blog_services.blog_create(
            index=index,
            title=title,
            slug=slug,
            description=description,
            mission=missions[mission_slug],
            bloggers=[bloggers[s] for s in author_slugs],
            top_image=top_image,
            language=language,
        )
    report(f"{len(blogs)} blogs")

    # Spread entries over the last two years, oldest first, so archives have many months.
    plan: list[dict[str, Any]] = []
    blog_slugs = [blog[0] for blog in content.BLOGS if blog[5] == "en"]
    for number, (title, summary, paragraphs, tags) in enumerate(content.ENGLISH_ENTRIES):
        blog_slug = blog_slugs[number % len(blog_slugs)]
        plan.append(
            dict(
                blog=blog_slug,
                title=title,
                summary=summary,
                paragraphs=paragraphs,
                tags=tags,
                language="en",
                authors=None,
            )
        )
    for (
        language,
        author,
        blog_slug,
        title,
        summary,
        paragraphs,
        tags,
    ) in content.OTHER_LANGUAGE_ENTRIES:
        plan.append(
            dict(
                blog=blog_slug,
                title=title,
                summary=summary,
                paragraphs=paragraphs,
                tags=tags,
                language=language,
                authors=[author],
            )
        )
    week = 0
    while len(plan) < DEMO_ENTRY_COUNT:
        blog_slug = blog_slugs[week % len(blog_slugs)]
        source = content.ENGLISH_ENTRIES[(week * 7) % len(content.ENGLISH_ENTRIES)]
        blog_title = next(b[1] for b in content.BLOGS if b[0] == blog_slug)
        plan.append(
            dict(
                blog=blog_slug,
                title=f"Week notes {week + 1}: {source[0].lower()}",
                summary=f"What happened this week at {blog_title}, and what we are reading.",
                paragraphs=[source[2][1], source[2][0]],
                tags=rng.sample(content.TAGS, 3),
                language="en",
                authors=None,
            )
        )
        week += 1
    rng.shuffle(plan)

    span = timedelta(days=730)
    entries: list[EntryPage] = []
    for number, item in enumerate(plan):
        blog = blogs[item["blog"]]
        authors = (
            [bloggers[s] for s in item["authors"]]
            if item["authors"]
            else list(blog.bloggers.all())[: 1 + number % 2]
        )
        body = paragraphs_to_body(item["paragraphs"])
        if number % 3 == 0:
            picture = image_create(title=item["title"][:60], png=landscape_png(seed=number))
            body.insert(
                1,
                (
                    "image",
                    {
                        "image": picture,
                        "alt_text": "An illustration: hills "
                        "under a large sun, in the colours of the blog.",
                        "caption": "",
                    },
                ),
            )
        if number % 10 == 4:
            body.append(
                (
                    "quote",
                    {
                        "quote": "Diplomacy is mostly conversation.",
                        "attribution": authors[0].display_name,
                    },
                )
            )
        if number % 12 == 5:
            body.append(
                (
                    "video",
                    {
                        "url": "https://www.youtube.com/watch?v=aqz-KE-bpKQ",
                        "title": "A short film about the project",
                    },
                )
            )
        date = now - span + span * (number + 1) / (len(plan) + 1)
        entries.append(
            blog_services.entry_create(
                blog=blog,
                title=item["title"],
                summary=item["summary"],
                body=body,
                authors=authors,
                date=date.replace(microsecond=0),
                tags=item["tags"],
                language=item["language"],
            )
        )
    report(f"{len(entries)} entries")

    # Translations are linked, not copied: the Arabic water entry translates the English one.
    for original_title, translation_title in content.TRANSLATIONS:
        by_title = {entry.title: entry for entry in entries}
        blog_services.entry_translation_link(
            entry=by_title[translation_title], original=by_title[original_title]
        )
    report(f"{len(content.TRANSLATIONS)} translations linked")

    blog_services.best_bits_set(page=home, entries=entries[-12::3])
    for blog in blogs.values():
        blog_services.best_bits_set(
            page=blog, entries=list(EntryPage.objects.child_of(blog).order_by("date")[:2])
        )
    report("best bits chosen")

    user_model = get_user_model()
    if not user_model.objects.filter(username=DEMO_ADMIN_USERNAME).exists():
        user_model.objects.create_superuser(
            DEMO_ADMIN_USERNAME, "admin@example.org", DEMO_ADMIN_PASSWORD
        )
    demo_people_create(report=report)
    # After the people: the demo's blogger login stays the one it has always been.
    demo_conversations_build(now=now, report=report)

    demo_channels_build(today=now.date(), report=report)
    demo_campaign_build(now=now, report=report)
    demo_federation_build(report=report)
    demo_questions_build(now=now, report=report)
    demo_subscriptions_build(report=report)
    demo_community_build(now=now, report=report)
    demo_figures_build(now=now, report=report)
