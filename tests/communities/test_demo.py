from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from dragoman.blogs import services as blog_services
from dragoman.blogs.models import EntryPage
from dragoman.communities import rights
from dragoman.communities.demo import DEMO_MEMBER_PASSWORD, demo_community_build
from dragoman.communities.models import Community, Event, Membership, Topic
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


def test_the_demo_manager_writes_on_the_communitys_blog_in_the_admin(client):
    blog_services.network_ensure()
    demo_community_build(now=timezone.now(), report=lambda _line: None)
    community = Community.objects.get()
    manager = community.memberships.get(role=Membership.Role.MANAGER).user
    entries = EntryPage.objects.filter(blog=community.blog)

    assert client.login(username=manager.username, password=DEMO_MEMBER_PASSWORD)
    form = client.get(
        reverse("wagtailadmin_pages:add", args=("blogs", "entrypage", community.blog_id))
    )

    assert form.status_code == 200
    assert {a.blogger.slug for e in entries for a in e.entry_authors.all()} == {
        rights.COMMUNITY_AUTHOR_SLUG
    }
