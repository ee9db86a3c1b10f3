"""The rules of joining and leaving: bad invitations, removed members, bad uploads."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from wagtail.models import PageViewRestriction

from dragoman.communities import services
from dragoman.communities.models import (
    AuditEntry,
    Invitation,
    JoinRequest,
    Membership,
    Reply,
    Topic,
)

pytestmark = pytest.mark.django_db


def test_a_community_blog_is_private_to_its_group_from_its_first_publication(two):
    restriction = PageViewRestriction.objects.get(page=two.a.blog)
    assert restriction.restriction_type == PageViewRestriction.GROUPS
    assert list(restriction.groups.all()) == [two.a.group]
    # Its first revision was published with the restriction already there.
    assert two.a.blog.live


def test_a_personal_invitation_is_emailed_and_used_once(two, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = services.invitation_create(
            community=two.a, acting_user=two.manager_a, email="New@Example.org"
        )
    assert mail.outbox[0].to == ["new@example.org"] and token in mail.outbox[0].body
    assert token not in invitation.token_digest  # only a digest is stored
    membership = services.invitation_accept(token=token, email="new@example.org", name="New")
    assert membership.community == two.a and membership.user.groups.filter(pk=two.a.group.pk)
    with pytest.raises(services.InvitationInvalid):  # reused
        services.invitation_accept(token=token, email="new@example.org")


def test_a_personal_invitation_refuses_another_address(two):
    _invitation, token = services.invitation_create(
        community=two.a, acting_user=two.manager_a, email="one@example.org"
    )
    with pytest.raises(services.InvitationInvalid):
        services.invitation_accept(token=token, email="other@example.org")
    assert not Membership.objects.filter(user__email="other@example.org").exists()


def test_a_link_stops_at_its_use_limit_and_its_expiry(two):
    invitation, token = services.invitation_create(
        community=two.a, acting_user=two.manager_a, max_uses=2
    )
    services.invitation_accept(token=token, email="p1@example.org")
    services.invitation_accept(token=token, email="p2@example.org")
    with pytest.raises(services.InvitationInvalid):
        services.invitation_accept(token=token, email="p3@example.org")
    invitation, token = services.invitation_create(community=two.a, acting_user=two.manager_a)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(services.InvitationInvalid):
        services.invitation_accept(token=token, email="p4@example.org")


def test_forged_expired_and_used_invitations_get_a_clear_404(client, two):
    invitation, token = services.invitation_create(community=two.a, acting_user=two.manager_a)
    Invitation.objects.filter(pk=invitation.pk).update(revoked=True)
    for address in (
        "/members/invitation/forged/",
        "/members/invitation/" + "x" * 500 + "/",
        f"/members/invitation/{token}/",
    ):
        response = client.get(address)
        assert response.status_code == 404
        assert "cannot be used" in response.content.decode()
        assert "Alumni A" not in response.content.decode()


def test_opening_an_invitation_link_uses_nothing_up(client, two):
    _invitation, token = services.invitation_create(community=two.a, acting_user=two.manager_a)
    for _ in range(3):  # a mail scanner, a preview, the person
        assert client.get(f"/members/invitation/{token}/").status_code == 200
    assert Invitation.objects.get().uses == 0
    response = client.post(
        f"/members/invitation/{token}/", {"name": "Ama", "email": "ama@example.org"}
    )
    assert response.status_code == 200 and Invitation.objects.get().uses == 1


def test_only_managers_invite_remove_and_decide(two):
    for action in (
        lambda: services.invitation_create(community=two.a, acting_user=two.member_a),
        lambda: services.invitation_create(community=two.a, acting_user=two.member_b),
        lambda: services.member_remove(
            membership=Membership.objects.get(user=two.manager_a), acting_user=two.member_a
        ),
    ):
        with pytest.raises(PermissionDenied):
            action()


def test_a_removed_member_is_refused_at_once_and_cannot_come_back(two):
    client = Client()
    client.force_login(two.member_a)
    assert client.get("/members/alumni-a/").status_code == 200
    services.member_remove(
        membership=Membership.objects.get(user=two.member_a), acting_user=two.manager_a
    )
    # Still signed in: the very next request is refused, with the same 404 as a stranger's.
    assert client.get("/members/alumni-a/").status_code == 404
    assert client.get(two.a.blog.url).status_code == 404
    # An invitation or a request does not bring them back.
    _invitation, token = services.invitation_create(community=two.a, acting_user=two.manager_a)
    with pytest.raises(PermissionDenied):
        services.invitation_accept(token=token, email=two.member_a.email)
    request = services.join_request_create(
        community=two.a, name="Again", email=two.member_a.email, message="Please"
    )
    assert request.status == JoinRequest.Status.REFUSED
    assert AuditEntry.objects.filter(action="member_remove", community=two.a).exists()


def test_a_request_approved_admits_and_tells_the_person(two, django_capture_on_commit_callbacks):
    request = services.join_request_create(
        community=two.a, name="Kofi", email="kofi@example.org", message="Class of 2019"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.join_request_decide(join_request=request, approve=True, acting_user=two.manager_a)
    assert Membership.objects.filter(community=two.a, user__email="kofi@example.org").exists()
    assert mail.outbox[0].to == ["kofi@example.org"]
    with pytest.raises(ValidationError):
        services.join_request_decide(join_request=request, approve=False, acting_user=two.manager_a)
    assert [e.action for e in AuditEntry.objects.filter(community=two.a)] == ["request_approve"]


def test_an_unlisted_community_takes_no_request(two):
    from django.http import Http404

    with pytest.raises(Http404):
        services.join_request_create(community=two.b, name="X", email="x@example.org", message="")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.exe", b"MZ\x90\x00" + b"\x00" * 100, "PNG or JPEG image or a PDF"),
        ("photo.png", b"<svg onload=alert(1)>", "PNG or JPEG image or a PDF"),
        ("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "at most 5 MB"),
    ],
)
def test_uploads_of_the_wrong_type_or_size_are_refused(two, name, content, message):
    membership = Membership.objects.get(user=two.member_a)
    topic = services.topic_create(membership=membership, title="Files", body="Here")
    with pytest.raises(ValidationError, match=message):
        services.reply_create(
            membership=membership,
            topic=topic,
            body="See attached",
            upload=SimpleUploadedFile(name, content),
        )
    assert Reply.objects.filter(topic=topic).count() == 1


def test_an_upload_refused_in_the_form_is_a_400_with_the_reason(client, two):
    membership = Membership.objects.get(user=two.member_a)
    topic = services.topic_create(membership=membership, title="Files", body="Here")
    client.force_login(two.member_a)
    response = client.post(
        f"/members/alumni-a/threads/{topic.pk}/",
        {"body": "x", "attachment": SimpleUploadedFile("a.html", b"<html>")},
    )
    assert response.status_code == 400
    assert "PNG or JPEG image or a PDF" in response.content.decode()


def test_a_closed_thread_takes_no_reply_from_members(two):
    membership = Membership.objects.get(user=two.member_a)
    topic = services.topic_create(membership=membership, title="Closed", body="Hi")
    services.topic_moderate(topic=topic, acting_user=two.manager_a, hidden=False, locked=True)
    with pytest.raises(ValidationError):
        services.reply_create(membership=membership, topic=topic, body="Still here")
    assert Topic.objects.get().locked


def test_deleting_an_account_keeps_the_thread_without_the_name(two):
    membership = Membership.objects.get(user=two.member_a)
    topic = services.topic_create(membership=membership, title="Mine", body="My words")
    services.account_delete(user=two.member_a)
    assert Reply.objects.get(topic=topic).author is None
    assert not Membership.objects.filter(display_name="Member A").exists()
