"""The demo network federates: its public blogs are actors, the practitioners' group exists,
and the demo blocklist is in place."""

import pytest

from dragoman.blogs.models import BlogPage
from dragoman.federation import moderation
from dragoman.federation.models import LocalActor

pytestmark = pytest.mark.usefixtures("demo_network", "db", "uncached")


def test_every_public_blog_is_an_actor_and_the_group_exists():
    public = [b for b in BlogPage.objects.live() if not b.get_view_restrictions().exists()]

    assert LocalActor.objects.filter(kind="blog").count() == len(public) > 0
    assert LocalActor.objects.filter(kind="group", username="practitioners").exists()


def test_the_demo_blocklist_is_in_place():
    assert moderation.domain_blocked("spam-farm.example")
    assert moderation.replies_refused("noisy.example", "https://noisy.example/users/x")
