"""Members' pages: 404 to everyone outside, private headers, threads, events, directory."""

from __future__ import annotations

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from dragoman.communities import services
from dragoman.communities.models import Membership, Topic

pytestmark = pytest.mark.django_db


def test_a_members_home_is_404_to_everyone_outside_and_private_to_members(client, two):
    url = reverse("communities:home", args=["alumni-a"])
    assert client.get(url).status_code == 404
    for outsider in (two.member_b, two.staff):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.force_login(two.member_a)
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_thread_is_opened_answered_and_the_author_told(
    client, two, django_capture_on_commit_callbacks
):
    membership = Membership.objects.get(user=two.member_a)
    services.profile_update(membership=membership, notify_replies=True)
    client.force_login(two.member_a)
    response = client.post(
        reverse("communities:topic_new", args=["alumni-a"]),
        {
            "title": "Reunion in June?",
            "language": "en",
            "body": "Who is coming? <script>x</script>",
        },
    )
    assert response.status_code == 302
    topic = Topic.objects.get()
    client.force_login(two.manager_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("communities:topic", args=["alumni-a", topic.pk]), {"body": "I am."}
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["member-a@example.org"]]
    page = client.get(reverse("communities:topic", args=["alumni-a", topic.pk])).content.decode()
    assert "<script>x" not in page and "I am." in page


def test_an_event_downloads_as_ics(client, two):
    event = services.event_create(
        community=two.a,
        acting_user=two.manager_a,
        title="Summer reception",
        starts_at=timezone.now() + timezone.timedelta(days=3),
        place="Residence",
    )
    client.force_login(two.member_a)
    response = client.get(reverse("communities:event_ics", args=["alumni-a", event.pk]))
    calendar = icalendar.Calendar.from_ical(response.content)
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == ["Summer reception"]
    client.force_login(two.member_b)
    assert (
        client.get(reverse("communities:event_ics", args=["alumni-a", event.pk])).status_code == 404
    )


def test_a_manager_adds_an_event_and_bad_input_is_a_400_with_the_reason(client, two):
    client.force_login(two.manager_a)
    url = reverse("communities:events", args=["alumni-a"])
    response = client.post(url, {"title": "Nowhere", "starts_at": "2030-01-01T18:00"})
    assert response.status_code == 400
    assert "Give a place, an online link, or both." in response.content.decode()
    response = client.post(
        url, {"title": "Picnic", "starts_at": "2030-01-01T18:00", "place": "The park"}
    )
    assert response.status_code == 302
    # Members see it; they cannot add one.
    client.force_login(two.member_a)
    assert "Picnic" in client.get(url).content.decode()
    assert client.post(url, {"title": "Mine", "starts_at": "2030-01-01T18:00"}).status_code == 404


def test_the_audit_log_records_manager_actions_on_the_manage_page(client, two):
    client.force_login(two.manager_a)
    url = reverse("communities:manage", args=["alumni-a"])
    response = client.post(url, {"action": "invite", "email": "", "days": 7, "max_uses": 5})
    assert response.status_code == 200
    assert "/members/invitation/" in response.content.decode()
    page = client.get(url).content.decode()
    assert "invitation_create" in page
    client.force_login(two.member_a)
    assert client.get(url).status_code == 404


def test_a_managers_form_with_a_malformed_or_foreign_key_is_a_404(client, two):
    client.force_login(two.manager_a)
    url = reverse("communities:manage", args=["alumni-a"])
    foreign = Membership.objects.get(user=two.member_b).pk

    for value in ("abc", "9" * 30, "", str(foreign)):
        response = client.post(url, {"action": "remove", "membership": value})
        assert response.status_code == 404, value
    assert Membership.objects.get(pk=foreign).status == Membership.Status.ACTIVE


def test_a_reply_answering_a_key_past_64_bits_is_a_400(client, two):
    membership = Membership.objects.get(user=two.member_a)
    topic = services.topic_create(membership=membership, title="Hello", body="First")
    client.force_login(two.member_a)

    response = client.post(
        reverse("communities:topic", args=["alumni-a", topic.pk]),
        {"body": "An answer", "answers": str(2**70)},
    )

    assert response.status_code == 400
