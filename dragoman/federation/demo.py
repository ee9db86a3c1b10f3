"""The demo's federation: every public blog an actor (with its keys), the practitioners'
group, and a few blocks of invented servers under the reserved `.example` domain."""

from __future__ import annotations

from collections.abc import Callable

from dragoman.blogs.models import BlogPage

from . import moderation, services
from .models import LocalActor

DEMO_BLOCKLIST = """#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate
spam-farm.example,suspend,true,false,Spam and impersonation of embassies,false
noisy.example,silence,false,false,Harassment of consular staff,false
"""


def demo_federation_build(*, report: Callable[[str], None] = print) -> int:
    actors = 0
    for blog in BlogPage.objects.live().order_by("pk"):
        if not blog.get_view_restrictions().exists():
            services.blog_actor(blog)
            actors += 1
    if not LocalActor.objects.filter(username="practitioners").exists():
        services.group_create(
            username="practitioners",
            name="Digital diplomacy practitioners",
            summary="Digital teams of many foreign ministries share what works.",
        )
    moderation.csv_import(DEMO_BLOCKLIST)
    report(f"Federation: {actors} blog actors, the practitioners' group, 2 blocked servers.")
    return actors
