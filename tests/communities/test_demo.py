from __future__ import annotations

import pytest
from django.utils import timezone

from dragoman.blogs import services as blog_services
from dragoman.blogs.models import EntryPage
from dragoman.communities.demo import demo_community_build
from dragoman.communities.models import Community, Event, Topic
from tests.factories import BloggerFactory

pytestmark = pytest.mark.django_db


def test_the_demo_community_has_30_members_threads_in_two_languages_and_events():
    blog_services.network_ensure()
    BloggerFactory()
    lines: list[str] = []
    demo_community_build(now=timezone.now(), report=lines.append)

    community = Community.objects.get()
    assert community.memberships.count() == 30
    assert set(Topic.objects.values_list("language", flat=True)) == {"en", "fr"}
    assert Event.objects.count() == 3
    entries = EntryPage.objects.filter(blog=community.blog)
    assert (
        entries.count() == 2 and not EntryPage.objects.visible(None).filter(pk__in=entries).exists()
    )
    assert any("manager sign-in" in line for line in lines)
    assert any("member sign-in" in line for line in lines)
