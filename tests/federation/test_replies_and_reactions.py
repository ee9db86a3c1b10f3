"""What other servers send about an entry after the fact, through the signed inbox: a reply
edited or deleted (its moderation kept: nothing hidden comes back, nothing edited skips the
queue), and likes and boosts shown on the entry's page, which stays cached and refreshes."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone

from dragoman.conversations.models import Comment
from dragoman.conversations.services import comment_approve, comment_reject
from dragoman.federation import activities
from dragoman.federation.models import FederationSettings, RemoteActor
from tests.factories import BlogFactory, EntryFactory

from .helpers import REMOTE_ACTOR, remote_actor, signed_post

NOTE_ID = REMOTE_ACTOR + "/statuses/1"


@pytest.fixture(autouse=True)
def _federation(settings):
    settings.BASE_URL = "http://testserver"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    cache.clear()


@pytest.fixture
def entry(db):
    blog = BlogFactory(slug="embassy-news")
    return EntryFactory(blog=blog, title="Visa news", date=timezone.now() - timedelta(hours=1))


@pytest.fixture
def moderator(db):
    return get_user_model().objects.create_superuser("moderator", "m@example.org", "x")


def note(entry, content, *, attributed=REMOTE_ACTOR):
    return {
        "id": NOTE_ID,
        "type": "Note",
        "attributedTo": attributed,
        "inReplyTo": activities.entry_object_id(entry.pk),
        "content": content,
    }


def activity(kind, obj, *, number, actor=REMOTE_ACTOR):
    return {
        "id": f"{REMOTE_ACTOR}/activities/{number}",
        "type": kind,
        "actor": actor,
        "object": obj,
    }


def reply(client, entry, content="<p>First thoughts</p>"):
    remote_actor()
    response = signed_post(
        client, "/federation/inbox", activity("Create", note(entry, content), number=1)
    )
    assert response.status_code == 202
    return Comment.objects.get(entry=entry)


def test_an_edited_reply_is_judged_again(client, entry, moderator):
    comment = reply(client, entry)
    comment_approve(comment=comment, acting_user=moderator)

    response = signed_post(
        client, "/federation/inbox", activity("Update", note(entry, "<p>Buy pills</p>"), number=2)
    )

    comment.refresh_from_db()
    assert response.status_code == 202
    assert comment.body == "Buy pills"
    assert comment.status == Comment.Status.PENDING
    assert b"Buy pills" not in client.get(entry.url).content


def test_an_edit_never_brings_back_a_rejected_reply(client, entry, moderator):
    comment = reply(client, entry)
    comment_reject(comment=comment, acting_user=moderator)

    signed_post(
        client, "/federation/inbox", activity("Update", note(entry, "<p>Again</p>"), number=2)
    )

    comment.refresh_from_db()
    assert comment.status == Comment.Status.REJECTED
    assert comment.body == "First thoughts"


def test_only_its_author_may_edit_or_delete_a_reply(client, entry, moderator):
    comment = reply(client, entry)
    comment_approve(comment=comment, acting_user=moderator)
    RemoteActor.objects.create(
        uri="https://other.example/users/eve",
        domain="other.example",
        inbox="https://other.example/users/eve/inbox",
    )
    eve = "https://other.example/users/eve"

    edited = signed_post(
        client,
        "/federation/inbox",
        activity("Update", note(entry, "<p>Eve's words</p>", attributed=eve), number=2, actor=eve),
    )
    deleted = signed_post(
        client, "/federation/inbox", activity("Delete", NOTE_ID, number=3, actor=eve)
    )

    comment.refresh_from_db()
    assert edited.status_code == 422
    assert deleted.status_code == 202
    assert (comment.status, comment.body) == (Comment.Status.APPROVED, "First thoughts")


def test_a_deleted_reply_leaves_the_page_and_the_queue(client, entry, moderator):
    comment = reply(client, entry)
    assert b"First thoughts" not in client.get(entry.url).content  # waits for moderation
    comment_approve(comment=comment, acting_user=moderator)
    page = client.get(entry.url).content
    assert b"First thoughts" in page
    assert b"@ana@other.example" in page  # the author's handle and server

    response = signed_post(
        client,
        "/federation/inbox",
        activity("Delete", {"id": NOTE_ID, "type": "Tombstone"}, number=2),
    )

    comment.refresh_from_db()
    assert response.status_code == 202
    assert comment.status == Comment.Status.WITHDRAWN
    assert b"First thoughts" not in client.get(entry.url).content


def like(entry, number, kind="Like"):
    return activity(kind, activities.entry_object_id(entry.pk), number=number)


def test_likes_and_boosts_show_on_the_cached_entry_page(
    client, entry, settings, django_capture_on_commit_callbacks
):
    settings.DRAGOMAN_PAGE_CACHE = True
    remote_actor()
    with django_capture_on_commit_callbacks(execute=True):
        FederationSettings.objects.update_or_create(defaults={"count_reactions": True})
    client.get(entry.url)
    cached = client.get(entry.url)
    assert cached["X-Cache"] == "HIT"
    assert b"fediverse" not in cached.content

    with django_capture_on_commit_callbacks(execute=True):
        for number, kind in ((1, "Like"), (2, "Like"), (3, "Announce")):
            assert (
                signed_post(client, "/federation/inbox", like(entry, number, kind)).status_code
                == 202
            )

    page = client.get(entry.url)
    assert page["X-Cache"] == "MISS"
    assert b"Liked 2 times on the fediverse" in page.content
    assert b"Shared once on the fediverse" in page.content
    assert REMOTE_ACTOR.encode() not in page.content  # counted, never who

    with django_capture_on_commit_callbacks(execute=True):
        undo = activity("Undo", like(entry, 1), number=4)
        assert signed_post(client, "/federation/inbox", undo).status_code == 202
    assert b"Liked once on the fediverse" in client.get(entry.url).content


def test_counts_are_not_kept_or_shown_unless_the_team_turns_them_on(client, entry):
    from dragoman.federation.models import Reaction, Reactions

    remote_actor()
    assert signed_post(client, "/federation/inbox", like(entry, 1)).status_code == 202

    assert b"fediverse" not in client.get(entry.url).content
    # Not counted in secret either: turning the counts on later shows none of it.
    assert not Reaction.objects.exists()
    assert not Reactions.objects.exists()
    FederationSettings.objects.update_or_create(defaults={"count_reactions": True})
    assert b"fediverse" not in client.get(entry.url).content


def test_a_boost_with_the_entry_inside_is_counted_not_kept(client, entry):
    remote_actor()
    FederationSettings.objects.update_or_create(defaults={"count_reactions": True})
    inside = {"id": activities.entry_object_id(entry.pk), "type": "Article", "content": "x"}

    response = signed_post(client, "/federation/inbox", activity("Announce", inside, number=1))

    assert response.status_code == 202
    assert b"Shared once on the fediverse" in client.get(entry.url).content
