"""People and blogs for the authoring tests: a digital team member, a blogger with one blog
of their own and one they may not touch, and a moderator."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, User
from django.utils.text import slugify
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from dragoman.authoring import roles, services
from dragoman.blogs.models import Blogger, BlogPage
from tests.factories import BlogFactory, BloggerFactory

PASSWORD = "a-long-test-password-42"


def user_create(username: str, *groups: str) -> User:
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


@dataclass
class Network:
    digital: User
    blogger_user: User
    blogger: Blogger
    moderator: User
    own_blog: BlogPage
    other_blog: BlogPage
    other_blogger: Blogger


@pytest.fixture
def network(db: Any) -> Network:
    # A transactional test elsewhere may have flushed the groups the data migration made.
    roles.roles_ensure(django_apps)
    digital = user_create("digital", roles.DIGITAL_TEAM)
    blogger_user = user_create("amira")
    blogger = BloggerFactory(display_name="Amira Haddad", user=blogger_user)
    other_blogger = BloggerFactory(display_name="Someone Else")
    own_blog = BlogFactory(title="Notes from Tunis", bloggers=[blogger])
    other_blog = BlogFactory(title="Letters from Lima", bloggers=[other_blogger])
    services.blogger_grant(blogger=blogger, blogs=[own_blog], acting_user=None)
    moderator = user_create("moderator", roles.MODERATORS)
    return Network(
        digital=digital,
        blogger_user=blogger_user,
        blogger=blogger,
        moderator=moderator,
        own_blog=own_blog,
        other_blog=other_blog,
        other_blogger=other_blogger,
    )


def entry_form_data(
    *,
    title: str,
    blogger: Blogger,
    summary: str = "A short summary.",
    body: list | None = None,
    credit_id: int | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """What the entry editor posts (Wagtail's form-data helpers build the nested names)."""
    credit = {"blogger": blogger.pk}
    if credit_id:
        credit["id"] = credit_id
    data = nested_form_data(
        {
            "title": title,
            "slug": slugify(title),
            "date": "2026-01-10 10:00",
            "language": "en",
            "entry_authors": inline_formset([credit], initial=1 if credit_id else 0),
            "summary": summary,
            "body": streamfield(
                body or [("paragraph", rich_text("<p>Written at the embassy.</p>"))]
            ),
            "tags": "",
            "comments_open": "on",
        }
    )
    data.update(extra)
    return data
