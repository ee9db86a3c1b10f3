"""Authorized fetch (Mastodon's "secure mode"), both ways: with
``DRAGOMAN_FEDERATION_AUTHORIZED_FETCH`` our ActivityPub documents go only to signed requests
from servers that are not blocked, and our own fetches are signed by the server's actor.
(Two installations talking in this mode: test_two_installations.py.)"""

import pytest
from django.core.cache import cache

from dragoman.federation.models import DomainBlock, LocalActor, RemoteServer
from dragoman.federation.signatures import RFC9421
from tests.factories import BlogFactory, EntryFactory

from .helpers import remote_actor, signed_get

AP = "application/activity+json"


@pytest.fixture(autouse=True)
def _federation(settings):
    settings.BASE_URL = "http://testserver"
    settings.DRAGOMAN_FEDERATION_AUTHORIZED_FETCH = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    cache.clear()


@pytest.fixture
def blog(db):
    return BlogFactory(slug="embassy-news", title="Embassy news")


def test_unsigned_fetches_of_actors_and_entries_are_refused(client, blog):
    entry = EntryFactory(blog=blog)

    for path in (
        "/federation/actors/embassy-news",
        "/federation/actors/embassy-news/outbox",
        "/federation/actors/embassy-news/followers",
        f"/entries/{entry.pk}/",
        entry.url,
        blog.url,
    ):
        response = client.get(path, HTTP_ACCEPT=AP)
        assert response.status_code == 401, path
        assert b"Sign this request" in response.content


def test_readers_still_get_the_pages(client, blog):
    assert client.get(blog.url).status_code == 200


@pytest.mark.parametrize("scheme", ["cavage", RFC9421])
def test_signed_fetches_are_answered(client, blog, scheme):
    remote_actor()
    entry = EntryFactory(blog=blog)

    actor = signed_get(client, "/federation/actors/embassy-news", scheme=scheme)
    article = signed_get(client, f"/entries/{entry.pk}/", scheme=scheme)
    again = signed_get(client, "/federation/actors/embassy-news", scheme=scheme)

    assert actor.status_code == 200 and actor.json()["type"] == "Service"
    assert article.status_code == 200 and article.json()["type"] == "Article"
    # A GET signed alike a second time (same second) is no replay: it changes nothing.
    assert again.status_code == 200


def test_a_stale_or_tampered_signed_fetch_is_refused(client, blog):
    remote_actor()

    stale = signed_get(
        client, "/federation/actors/embassy-news", date="Mon, 01 Jan 2024 00:00:00 GMT"
    )

    assert stale.status_code == 401


def test_a_blocked_server_gets_nothing(client, blog):
    remote_actor()
    DomainBlock.objects.create(domain="other.example")

    assert signed_get(client, "/federation/actors/embassy-news").status_code == 403


def test_the_server_actor_is_served_to_anyone(client, db):
    response = client.get("/federation/actor", HTTP_ACCEPT=AP)

    assert response.status_code == 200
    document = response.json()
    assert document["type"] == "Application"
    assert document["id"] == "http://testserver/federation/actor"
    assert document["publicKey"]["id"] == "http://testserver/federation/actor#main-key"
    assert "BEGIN PUBLIC KEY" in document["publicKey"]["publicKeyPem"]
    # One actor for the server, whatever the number of asks; no blog can take its name.
    client.get("/federation/actor", HTTP_ACCEPT=AP)
    assert LocalActor.objects.filter(kind=LocalActor.Kind.INSTANCE).count() == 1
    assert client.get("/federation/actors/instance.actor").status_code == 404


def test_our_fetches_are_signed_by_the_server_actor(live_server, settings, db):
    """Our fetch of a document on a server in authorized-fetch mode (the live server, in
    this mode) is signed, and the other server checks it with our server actor's key."""
    from dragoman.federation import remote

    settings.BASE_URL = live_server.url
    settings.DRAGOMAN_FEDERATION_ALLOW_PRIVATE = True
    settings.ALLOWED_HOSTS = ["*"]
    BlogFactory(slug="consular-notes")

    document = remote.get_json(f"{live_server.url}/federation/actors/consular-notes")

    assert document["type"] == "Service"
    assert RemoteServer.objects.get(domain="localhost").signature_scheme == RFC9421
    with pytest.raises(remote.RemoteError, match="401"):
        remote.get_json(f"{live_server.url}/federation/actors/consular-notes", signed=False)
