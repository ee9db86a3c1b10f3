"""Shared fixtures: two communities (A and B) and the four identities of the isolation rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from dragoman.blogs import services as blog_services
from dragoman.communities import services
from dragoman.communities.models import Community, Membership


@pytest.fixture(autouse=True)
def immediate_tasks(settings, tmp_path) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DRAGOMAN_COMMUNITY_FILES_ROOT = tmp_path / "community-files"
    cache.clear()


def person(username: str, **extra: Any) -> Any:
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", **extra
    )
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@dataclass
class Two:
    a: Community
    b: Community
    manager_a: Any
    member_a: Any
    member_b: Any
    staff: Any


@pytest.fixture
def two(db) -> Two:
    blog_services.network_ensure()
    a = services.community_create(
        name="Alumni A", slug="alumni-a", description="A's alumni.", listed=True
    )
    b = services.community_create(name="Alumni B", slug="alumni-b", description="B's alumni.")
    manager_a = person("manager-a")
    member_a = person("member-a")
    member_b = person("member-b")
    staff = person("staff", is_staff=True)
    services.member_add(community=a, user=manager_a, role=Membership.Role.MANAGER, name="Manager A")
    services.member_add(community=a, user=member_a, name="Member A")
    services.member_add(community=b, user=member_b, name="Member B")
    return Two(a=a, b=b, manager_a=manager_a, member_a=member_a, member_b=member_b, staff=staff)
