"""A demo register: official channels for every demo mission and official, some archived
accounts, and some impersonations to warn about.

Every handle is invented; all start with "dgm" (Dragoman) so that none looks like a real
government's account, and servers and websites use the reserved `.example` domain.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from dragoman.blogs.models import Blogger
from dragoman.missions.models import Mission

from . import services
from .models import Channel
from .normalise import Platform

DEMO_SERVER = "social.dragoman.example"

# The languages each host country's channels are written in, besides English.
COUNTRY_LANGUAGES = {
    "JO": "ar en",
    "IR": "fa en",
    "CD": "fr sw en",
    "KE": "en sw",
    "PK": "ur en",
    "ID": "id en",
    "MX": "es en",
    "US": "en",
    "RU": "ru en",
    "FR": "fr en",
    "GB": "en",
}

Audience = Channel.Audience


def _mission_plan(mission: Mission, number: int) -> list[dict[str, Any]]:
    """About thirty channels for one mission: what a busy embassy really runs."""
    key = (mission.country_code.lower() + mission.slug.replace("-", "")[:3])[:5]
    name = mission.slug.replace("-", "")
    dots = mission.slug.replace("-", ".")
    languages = COUNTRY_LANGUAGES.get(mission.country_code, "en")
    city = mission.city
    whatsapp_id = f"0029Va{number:04d}{key.upper()}Dgm{number * 7919 % 100000:05d}"
    rows: list[dict[str, Any]] = [
        dict(platform=Platform.X, handle=f"dgm_{key}"),
        dict(platform=Platform.FACEBOOK, handle=f"dgm.embassy.{dots}"),
        dict(platform=Platform.INSTAGRAM, handle=f"dgm.embassy.{dots}"),
        dict(
            platform=Platform.YOUTUBE,
            handle=f"@dgm{name}",
            platform_id=f"UC{key.upper()}dgm{number:03d}demo0000000"[:24],
        ),
        dict(platform=Platform.LINKEDIN, handle=f"company/dgm-embassy-{mission.slug}"),
        dict(platform=Platform.TIKTOK, handle=f"dgm.{dots}"),
        dict(platform=Platform.TELEGRAM, handle=f"dgm_{name}"),
        dict(platform=Platform.WHATSAPP, handle=f"https://whatsapp.com/channel/{whatsapp_id}"),
        dict(platform=Platform.MASTODON, handle=f"@{name}@{DEMO_SERVER}"),
        dict(platform=Platform.BLUESKY, handle=f"dgm-{mission.slug}.bsky.social"),
        dict(platform=Platform.THREADS, handle=f"dgm.embassy.{dots}"),
        dict(platform=Platform.FLICKR, handle=f"dgm-{mission.slug}"),
        dict(platform=Platform.WEBSITE, handle=f"https://{mission.slug}.dragoman.example/"),
        dict(platform=Platform.VK, handle=f"dgm_{name}"),
        dict(platform=Platform.WEIBO, handle=f"dgm{name}"),
        dict(platform=Platform.WECHAT, handle=f"gh_dgm{key}"),
        dict(platform=Platform.X, handle=f"dgmhelp_{key}", audience=Audience.CONSULAR),
        dict(
            platform=Platform.FACEBOOK,
            handle=f"dgm.consular.{dots}",
            audience=Audience.NATIONALS,
            note=f"For our nationals living in or visiting {mission.country}.",
        ),
        dict(platform=Platform.TELEGRAM, handle=f"dgm_help_{name}", audience=Audience.NATIONALS),
        dict(platform=Platform.FACEBOOK, handle=f"dgm.scholars.{dots}", audience=Audience.ALUMNI),
        dict(
            platform=Platform.LINKEDIN,
            handle=f"https://www.linkedin.com/showcase/dgm-scholars-{mission.slug}/",
            audience=Audience.ALUMNI,
        ),
        dict(platform=Platform.X, handle=f"dgmtrade_{key}", audience=Audience.BUSINESS),
        dict(
            platform=Platform.LINKEDIN,
            handle=f"company/dgm-trade-{mission.slug}",
            audience=Audience.BUSINESS,
        ),
        dict(platform=Platform.INSTAGRAM, handle=f"dgm.culture.{dots}", audience=Audience.CULTURE),
        dict(platform=Platform.YOUTUBE, handle=f"@dgmculture{name}", audience=Audience.CULTURE),
        dict(platform=Platform.X, handle=f"dgmpress_{key}", audience=Audience.PRESS),
        dict(
            platform=Platform.X,
            handle=f"dgmold_{key}",
            status=Channel.Status.ARCHIVED,
            note=f"Our old account in {city}, no longer used since we moved to @dgm_{key}.",
        ),
        dict(
            platform=Platform.FACEBOOK,
            handle=f"dgm.embassy.{dots}.official",
            status=Channel.Status.IMPERSONATION,
            note="Not ours: this page copies our name and logo and asks for visa fees.",
        ),
        dict(
            platform=Platform.X,
            handle=f"dgm_{key}_",
            status=Channel.Status.IMPERSONATION,
            note="Not ours: a look-alike of our account with one more character.",
        ),
    ]
    for row in rows:
        row.setdefault("languages", languages)
        row["mission"] = mission
    return rows


def _blogger_plan(blogger: Blogger) -> list[dict[str, Any]]:
    """An official's own accounts: X, Mastodon, LinkedIn, and for some Instagram."""
    compact = blogger.slug.replace("-", "")
    languages = COUNTRY_LANGUAGES.get(blogger.mission.country_code if blogger.mission else "", "en")
    rows: list[dict[str, Any]] = [
        dict(platform=Platform.X, handle=f"{compact[:11]}_dg"),
        dict(platform=Platform.MASTODON, handle=f"{compact[:30]}@{DEMO_SERVER}"),
        dict(platform=Platform.LINKEDIN, handle=f"in/{blogger.slug}-dgm"),
    ]
    if len(blogger.slug) % 2 == 0:
        rows.append(dict(platform=Platform.INSTAGRAM, handle=f"{compact[:24]}.dgm"))
    if "ambassador" in blogger.job_title.lower():
        rows.append(
            dict(
                platform=Platform.X,
                handle=f"{compact[:8]}_amb",
                status=Channel.Status.IMPERSONATION,
                note="Not the ambassador: a fake account using their photograph.",
            )
        )
    for row in rows:
        row.setdefault("audience", Audience.OFFICIAL)
        row.setdefault("languages", languages)
        row["blogger"] = blogger
    return rows


@transaction.atomic
def demo_channels_build(
    *, today: date | None = None, report: Callable[[str], None] = print
) -> list[Channel]:
    """Register the demo channels of every mission and blogger in the database."""
    today = today or timezone.localdate()
    plan: list[dict[str, Any]] = []
    for number, mission in enumerate(Mission.objects.order_by("pk")):
        plan.extend(_mission_plan(mission, number))
    for blogger in Blogger.objects.select_related("mission").order_by("pk"):
        plan.extend(_blogger_plan(blogger))
    for number, fields in enumerate(plan):
        fields.setdefault("verified_on", today - timedelta(days=(number * 37) % 400))
    channels = services.channels_bulk_create(rows=plan)
    report(f"{len(channels)} official channels in the register")
    return channels
