"""The digital team invites a blogger; the one-time link; revoking keeps entries published."""

import re
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from dragoman.authoring.models import Invitation
from dragoman.authoring.tokens import InvitationTokenGenerator
from dragoman.blogs.models import Blogger, EntryPage
from tests.factories import EntryFactory, MissionFactory

from .conftest import PASSWORD, Network, entry_form_data

NEW_PASSWORD = "Tunis-harbour-at-dawn-2026"


def invite(client: Any, network: Network, capture: Any, **overrides: Any) -> Any:
    assert client.login(username="digital", password=PASSWORD)
    data = {
        "name": "Layla Mansour",
        "email": "Layla.Mansour@example.org",
        "job_title": "Deputy Head of Mission",
        "mission": MissionFactory().pk,
        "blogs": [network.own_blog.pk],
        **overrides,
    }
    with capture(execute=True):
        return client.post(reverse("authoring_invite"), data)


def link_path(mailoutbox: list) -> str:
    match = re.search(r"https?://[^/\s]+(/admin/invitation/\S+/)", mailoutbox[-1].body)
    assert match, mailoutbox[-1].body
    return match.group(1)


def test_invitation_end_to_end_ends_with_a_first_published_entry(
    client, network, mailoutbox, django_capture_on_commit_callbacks
):
    response = invite(client, network, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert mailoutbox[-1].to == ["layla.mansour@example.org"]
    client.logout()

    form = client.get(link_path(mailoutbox))
    done = client.post(
        link_path(mailoutbox), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    blogger = Blogger.objects.get(display_name="Layla Mansour")
    publish = client.post(
        reverse("wagtailadmin_pages:add", args=("blogs", "entrypage", network.own_blog.pk)),
        entry_form_data(title="My first week in Tunis", blogger=blogger, **{"action-publish": "1"}),
    )

    assert "Choose your password" in form.content.decode()
    assert done.status_code == 302
    assert publish.status_code == 302
    entry = EntryPage.objects.get(title="My first week in Tunis")
    page = client.get(entry.url).content.decode()
    assert "My first week in Tunis" in page
    assert "Layla Mansour" in page
    client.logout()
    assert client.login(username="layla.mansour@example.org", password=NEW_PASSWORD)


def test_invitation_link_fails_when_reused(
    client, network, mailoutbox, django_capture_on_commit_callbacks
):
    invite(client, network, django_capture_on_commit_callbacks)
    client.logout()
    path = link_path(mailoutbox)
    client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    client.logout()

    again = client.get(path)

    assert again.status_code == 410
    assert "This link no longer works" in again.content.decode()


def test_invitation_link_fails_after_72_hours(
    client, network, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    invite(client, network, django_capture_on_commit_callbacks)
    client.logout()
    later = InvitationTokenGenerator()._now() + timedelta(hours=72, minutes=1)
    monkeypatch.setattr(InvitationTokenGenerator, "_now", lambda self: later)

    response = client.post(
        link_path(mailoutbox), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert response.status_code == 410
    assert not User.objects.get(email="layla.mansour@example.org").has_usable_password()


def test_invitation_link_still_works_after_71_hours(
    client, network, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    invite(client, network, django_capture_on_commit_callbacks)
    client.logout()
    later = InvitationTokenGenerator()._now() + timedelta(hours=71)
    monkeypatch.setattr(InvitationTokenGenerator, "_now", lambda self: later)

    assert client.get(link_path(mailoutbox)).status_code == 200


def test_tampered_invitation_link_fails(client, network):
    assert client.get("/admin/invitation/MQ/abc-123/").status_code == 410


def test_mismatched_passwords_keep_the_link_usable(
    client, network, mailoutbox, django_capture_on_commit_callbacks
):
    invite(client, network, django_capture_on_commit_callbacks)
    client.logout()

    bad = client.post(
        link_path(mailoutbox), {"new_password1": NEW_PASSWORD, "new_password2": "different"}
    )

    assert bad.status_code == 400
    assert "didn’t match" in bad.content.decode() or "didn't match" in bad.content.decode()
    assert client.get(link_path(mailoutbox)).status_code == 200


def test_inviting_an_existing_email_shows_a_message_and_creates_nothing(
    client, network, mailoutbox, django_capture_on_commit_callbacks
):
    response = invite(
        client, network, django_capture_on_commit_callbacks, email="amira@example.org"
    )

    assert response.status_code == 200
    assert "already has an account" in response.content.decode()
    assert not Blogger.objects.filter(display_name="Layla Mansour").exists()
    assert mailoutbox == []


def test_blogger_cannot_invite_or_see_the_access_pages(client, network):
    assert client.login(username="amira", password=PASSWORD)

    invite_page = client.get(reverse("authoring_invite"))
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()

    # Wagtail answers a refusal in its admin with a redirect to the dashboard and an apology.
    assert invite_page.status_code == 302
    assert invite_page.url == reverse("wagtailadmin_home")
    assert "Permission to blog" not in dashboard


def test_digital_team_sees_who_may_write_where(client, network):
    assert client.login(username="digital", password=PASSWORD)

    page = client.get(reverse("authoring_access")).content.decode()

    assert "Amira Haddad" in page
    assert "Notes from Tunis" in page


def test_revoking_removes_permission_and_keeps_entries_published(client, network: Network):
    entry = EntryFactory(blog=network.own_blog, authors=[network.blogger], title="Farewell")
    assert client.login(username="digital", password=PASSWORD)

    response = client.post(
        reverse("authoring_blogger_access", args=(network.blogger.pk,)),
        {"revoke": "1", "revoke-blogs": [network.own_blog.pk]},
    )
    client.logout()
    client.login(username="amira", password=PASSWORD)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=(entry.pk,)))

    assert response.status_code == 302
    assert edit.status_code in {302, 403}
    public = client.get(entry.url).content.decode()
    assert "Farewell" in public
    assert "Amira Haddad" in public


def test_granting_another_blog_lets_the_blogger_write_there(client, network: Network):
    assert client.login(username="digital", password=PASSWORD)

    client.post(
        reverse("authoring_blogger_access", args=(network.blogger.pk,)),
        {"grant": "1", "grant-blogs": [network.other_blog.pk]},
    )
    client.logout()
    client.login(username="amira", password=PASSWORD)
    add = client.get(
        reverse("wagtailadmin_pages:add", args=("blogs", "entrypage", network.other_blog.pk))
    )

    assert add.status_code == 200
    assert Invitation.objects.count() == 0
    assert network.blogger in network.other_blog.bloggers.all()


def test_invitation_timestamps_are_recorded(
    client, network, mailoutbox, django_capture_on_commit_callbacks
):
    invite(client, network, django_capture_on_commit_callbacks)
    client.logout()
    client.post(
        link_path(mailoutbox), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    invitation = Invitation.objects.get(user__email="layla.mansour@example.org")

    assert invitation.invited_by == network.digital
    assert invitation.accepted_at is not None
    assert invitation.accepted_at <= timezone.now()
