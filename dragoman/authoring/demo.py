"""The demo's people: an editor of the digital team, a moderator and a blogger, with their
logins, so that a newcomer can try each role."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model

from dragoman.blogs.models import Blogger

from . import services

DEMO_DIGITAL_TEAM_USERNAME = "digital"
DEMO_BLOGGER_USERNAME = "blogger"
DEMO_MODERATOR_USERNAME = "moderator"
DEMO_PASSWORD = "demo-only-password"  # noqa: S105 - printed to the demo's user on purpose


def demo_people_create(*, report: Callable[[str], None] = print) -> None:
    """Create the digital team editor, a moderator and a blogger on the first blogger's
    blogs."""
    users = get_user_model().objects
    if not users.filter(username=DEMO_DIGITAL_TEAM_USERNAME).exists():
        services.digital_team_member_create(
            acting_user=None,
            username=DEMO_DIGITAL_TEAM_USERNAME,
            email="digital@example.org",
            password=DEMO_PASSWORD,
        )
    if not users.filter(username=DEMO_MODERATOR_USERNAME).exists():
        services.moderator_create(
            acting_user=None,
            username=DEMO_MODERATOR_USERNAME,
            email="moderator@example.org",
            password=DEMO_PASSWORD,
        )
    blogger = Blogger.objects.filter(user__isnull=True, blogs__isnull=False).first()
    if blogger is not None and not users.filter(username=DEMO_BLOGGER_USERNAME).exists():
        services.blogger_account_create(
            acting_user=None,
            blogger=blogger,
            username=DEMO_BLOGGER_USERNAME,
            password=DEMO_PASSWORD,
        )
    writes_on = ", ".join(b.title for b in blogger.blogs.all()) if blogger else "no blog"
    report(
        f"digital team login: '{DEMO_DIGITAL_TEAM_USERNAME}' / '{DEMO_PASSWORD}'; "
        f"moderator login: '{DEMO_MODERATOR_USERNAME}' / '{DEMO_PASSWORD}'; "
        f"blogger login ({blogger}, writes on {writes_on}): "
        f"'{DEMO_BLOGGER_USERNAME}' / '{DEMO_PASSWORD}' (demo only)"
    )
