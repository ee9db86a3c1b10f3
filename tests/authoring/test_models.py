"""What the authoring models remember: which group is a blog's, and who invited whom."""

import pytest
from django.contrib.auth.models import Permission, User
from django.db import IntegrityError
from wagtail.models import Page

from dragoman.authoring import services
from dragoman.authoring.models import BlogAccess, Invitation
from tests.factories import BloggerFactory

from .conftest import Network, user_create


def test_a_blogs_access_is_named_after_its_group(network: Network):
    access = BlogAccess.objects.get(blog=network.own_blog)

    assert str(access) == "Blog: Notes from Tunis"
    assert access.group.name == "Blog: Notes from Tunis"


def test_a_blog_has_one_access_group_however_often_it_is_granted(network: Network):
    colleague = BloggerFactory(user=user_create("colleague"))

    services.blogger_grant(blogger=network.blogger, blogs=[network.own_blog], acting_user=None)
    services.blogger_grant(blogger=colleague, blogs=[network.own_blog], acting_user=None)

    access = BlogAccess.objects.get(blog=network.own_blog)
    assert set(access.group.user_set.all()) == {network.blogger_user, colleague.user}


def test_one_group_cannot_serve_two_blogs(network: Network):
    group = BlogAccess.objects.get(blog=network.own_blog).group

    with pytest.raises(IntegrityError):
        BlogAccess.objects.create(blog=network.other_blog, group=group)


def test_deleting_a_blog_deletes_its_access_but_not_the_people(network: Network):
    group_id = BlogAccess.objects.get(blog=network.own_blog).group_id

    Page.objects.get(pk=network.own_blog.pk).delete()

    assert not BlogAccess.objects.filter(group_id=group_id).exists()
    assert User.objects.filter(pk=network.blogger_user.pk).exists()


def test_an_invitation_is_named_after_the_invited_person_and_waits_to_be_accepted(
    network: Network,
):
    invitation = services.blogger_invite(
        acting_user=network.digital,
        name="Layla Mansour",
        email="layla@example.org",
        job_title="Deputy Head of Mission",
        mission=None,
        blogs=[network.own_blog],
    )

    assert str(invitation) == "layla@example.org"
    assert invitation.invited_by == network.digital
    assert invitation.created_at is not None
    assert invitation.accepted_at is None


def test_an_invitation_outlives_the_person_who_sent_it(network: Network):
    invitation = services.blogger_invite(
        acting_user=network.digital,
        name="Layla Mansour",
        email="layla@example.org",
        job_title="Deputy Head of Mission",
        mission=None,
        blogs=[network.own_blog],
    )

    network.digital.delete()

    invitation.refresh_from_db()
    assert invitation.invited_by is None


def test_the_permission_to_manage_bloggers_exists_and_the_digital_team_holds_it(
    network: Network,
):
    permission = Permission.objects.get(codename="manage_bloggers")

    assert permission.content_type.model_class() is Invitation
    assert network.digital.has_perm(services.MANAGE_BLOGGERS)
    assert not network.blogger_user.has_perm(services.MANAGE_BLOGGERS)
