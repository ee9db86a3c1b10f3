"""The rules behind granting, revoking and inviting, checked in the services themselves."""

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from wagtail.models import GroupPagePermission

from dragoman.authoring import roles, services
from dragoman.authoring.models import BlogAccess
from tests.factories import BlogFactory

from .conftest import Network


def test_invitation_works_for_a_name_in_arabic_script(network: Network):
    invitation = services.blogger_invite(
        acting_user=network.digital,
        name="ليلى منصور",
        email="layla@example.org",
        job_title="Cultural attaché",
        mission=None,
        blogs=[network.own_blog],
    )

    blogger = invitation.user.blogger
    assert blogger.display_name == "ليلى منصور"
    assert blogger.slug
    assert not invitation.user.has_usable_password()


def test_only_the_digital_team_may_invite(network: Network):
    with pytest.raises(PermissionDenied):
        services.blogger_invite(
            acting_user=network.blogger_user,
            name="Friend of Amira",
            email="friend@example.org",
            job_title="Intern",
            mission=None,
            blogs=[network.own_blog],
        )


def test_revoking_the_last_blog_removes_the_bloggers_group(network: Network):
    services.blogger_revoke(acting_user=network.digital, blogger=network.blogger)

    names = set(network.blogger_user.groups.values_list("name", flat=True))
    assert names == set()
    network.blogger.refresh_from_db()
    assert network.blogger.user == network.blogger_user  # the profile and account stay


def test_each_blog_gets_one_group_even_when_titles_clash(network: Network):
    twin = BlogFactory(title="Notes from Tunis")

    first = services.blog_access_ensure(blog=network.own_blog)
    second = services.blog_access_ensure(blog=twin)

    assert first != second
    assert services.blog_access_ensure(blog=twin) == second
    assert BlogAccess.objects.filter(blog=twin).count() == 1
    assert GroupPagePermission.objects.filter(group=second, page=twin).count() == 3


def test_roles_are_idempotent_and_moderators_hold_no_page_permissions(network: Network):
    roles.roles_ensure(django_apps)
    roles.roles_ensure(django_apps)

    moderators = Group.objects.get(name=roles.MODERATORS)
    assert Group.objects.filter(name=roles.DIGITAL_TEAM).count() == 1
    assert not GroupPagePermission.objects.filter(group=moderators).exists()
    assert not moderators.permissions.filter(content_type__app_label="wagtailimages").exists()


def test_an_account_made_without_a_password_writes_on_its_blogs_but_cannot_sign_in(
    network: Network, client
):
    user = services.blogger_account_create(
        acting_user=None, blogger=network.other_blogger, username="someone", password=None
    )

    assert not user.has_usable_password()
    assert not client.login(username="someone", password="")
    assert user.groups.filter(blog_access__blog=network.other_blog).exists()


def test_only_an_administrator_adds_a_moderator(network: Network):
    with pytest.raises(PermissionDenied):
        services.moderator_create(
            acting_user=network.digital, username="mod2", email="mod2@example.org", password="x"
        )

    moderator = services.moderator_create(
        acting_user=None, username="mod2", email="mod2@example.org", password="x"
    )

    assert list(moderator.groups.values_list("name", flat=True)) == [roles.MODERATORS]
