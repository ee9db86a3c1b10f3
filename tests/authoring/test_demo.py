"""The demo's people: a login for each role, so that a newcomer can try them all."""

from typing import Any

from django.apps import apps as django_apps
from django.contrib.auth.models import User

from dragoman.authoring import demo, roles
from tests.factories import BlogFactory, BloggerFactory

from .test_roles import MODERATOR_MENU, admin_menu


def test_the_demo_prints_and_creates_a_login_for_each_role(db: Any, client: Any):
    roles.roles_ensure(django_apps)
    BlogFactory(title="Notes from Tunis", bloggers=[BloggerFactory(display_name="Amira Haddad")])
    printed: list[str] = []

    demo.demo_people_create(report=printed.append)

    assert "moderator login: 'moderator'" in printed[0]
    assert "digital team login: 'digital'" in printed[0]
    assert "Amira Haddad, writes on Notes from Tunis" in printed[0]
    moderator = User.objects.get(username="moderator")
    assert [group.name for group in moderator.groups.all()] == [roles.MODERATORS]
    assert client.login(username="moderator", password=demo.DEMO_PASSWORD)
    assert set(admin_menu(client)) == MODERATOR_MENU
