"""Services: actors made once with their keys; replies into the moderation queue; likes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dragoman.conversations.models import Comment
from dragoman.federation import activities, services
from dragoman.federation.models import FederationSettings, LocalActor, Reactions
from tests.factories import BlogFactory, EntryFactory

from .helpers import remote_actor


@pytest.fixture(autouse=True)
def _federation(settings):
    settings.BASE_URL = "http://testserver"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_a_blog_actor_is_made_once_with_its_key(db):
    blog = BlogFactory(slug="news")

    first = services.blog_actor(blog)
    again = services.blog_actor(blog)

    assert first.pk == again.pk
    assert first.username == "news"
    assert "PRIVATE KEY" in first.private_key_pem
    assert LocalActor.objects.count() == 1


def test_a_reply_to_an_entry_waits_for_moderation(db):
    entry = EntryFactory(date=timezone.now() - timedelta(hours=1))
    note = {
        "id": "https://other.example/notes/1",
        "type": "Note",
        "inReplyTo": activities.entry_object_id(entry.pk),
        "content": "<p>Thank you <b>for this</b></p>",
    }

    comment = services.note_received(local=None, remote=remote_actor(), note=note)
    again = services.note_received(local=None, remote=remote_actor(), note=note)

    assert isinstance(comment, Comment)
    assert again == comment
    assert comment.status == Comment.Status.PENDING
    assert comment.body == "Thank you for this"
    assert "@ana@other.example" in comment.name


def test_a_reply_to_a_draft_is_not_taken(db):
    entry = EntryFactory(live=False)
    note = {"id": "https://o.example/n/2", "inReplyTo": activities.entry_object_id(entry.pk)}

    assert services.note_received(local=None, remote=remote_actor(), note=note) is None
    assert not Comment.objects.exists()


def test_likes_are_counted_only_when_the_team_turns_it_on(db):
    entry = EntryFactory()
    object_id = activities.entry_object_id(entry.pk)

    assert not services.reaction_received(
        kind="Like", activity_id="https://o.example/l/1", actor_uri="a", object_id=object_id
    )
    FederationSettings.objects.update_or_create(defaults={"count_reactions": True})
    for _ in range(2):  # the same Like twice counts once
        services.reaction_received(
            kind="Like", activity_id="https://o.example/l/1", actor_uri="a", object_id=object_id
        )
    services.reaction_received(
        kind="Announce", activity_id="https://o.example/b/1", actor_uri="a", object_id=object_id
    )
    counts = Reactions.objects.get(entry_id=entry.pk)
    assert (counts.likes, counts.announces) == (1, 1)

    services.reaction_undone(activity_id="https://o.example/l/1", actor_uri="a")
    assert Reactions.objects.get(entry_id=entry.pk).likes == 0
