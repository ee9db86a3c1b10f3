"""Entries going out, through the announcement and the real tasks, to loopback inboxes: a
Create of an Article with all its parts on publication, each inbox once; an Update on a
change; a Delete on unpublishing and on deleting, reaching the followers of the bloggers as
well as the blog's; translations linked both ways."""

from __future__ import annotations

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from dragoman.blogs import services as blog_services
from dragoman.blogs.models import EntryPage
from dragoman.federation import activities, services
from dragoman.federation.models import Follow, RemoteActor
from tests.factories import BlogFactory, EntryFactory
from tests.ports import free_port


class Inboxes(BaseHTTPRequestHandler):
    received: list[tuple[str, dict]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Inboxes.received.append((self.path, json.loads(body)))
        self.send_response(202)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def base(settings, tmp_path):
    settings.BASE_URL = "http://testserver"
    settings.MEDIA_ROOT = str(tmp_path)
    settings.DRAGOMAN_FEDERATION_ALLOW_PRIVATE = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    Inboxes.received = []
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Inboxes)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _follower(local, base: str, name: str, *, shared: bool) -> None:
    remote = RemoteActor.objects.create(
        uri=f"{base}/users/{name}",
        domain="127.0.0.1",
        preferred_username=name,
        inbox=f"{base}/users/{name}/inbox",
        shared_inbox=f"{base}/inbox" if shared else "",
    )
    Follow.objects.create(
        local=local, remote=remote, direction="in", status="accepted", activity_id=remote.uri + "#f"
    )


def _image():
    buffer = io.BytesIO()
    PILImage.new("RGB", (640, 480), (20, 90, 160)).save(buffer, "PNG")
    return get_image_model().objects.create(
        title="Chancery", file=ImageFile(io.BytesIO(buffer.getvalue()), name="chancery.png")
    )


def sent(path: str | None = None) -> list[dict]:
    return [body for where, body in Inboxes.received if path is None or where == path]


@pytest.fixture
def followed(db, base):
    """A blog with a top image; its blog actor followed by two people on one server (one shared
    inbox), its blogger followed by a third on that server and by one with no shared inbox."""
    blog = BlogFactory(slug="embassy-news")
    blog.top_image = _image()
    blog.save_revision().publish()
    blogger = blog.bloggers.first()
    blog_actor = services.blog_actor(blog)
    blogger_actor = services.blogger_actor(blogger)
    _follower(blog_actor, base, "ana", shared=True)
    _follower(blog_actor, base, "ben", shared=True)
    _follower(blogger_actor, base, "cem", shared=True)
    _follower(blogger_actor, base, "dia", shared=False)
    return blog


def test_publishing_creates_an_article_once_per_inbox_then_updates_then_deletes(
    followed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entry = EntryFactory(
            blog=followed, title="Visa news", tags=["visas", "consular help"], language="en"
        )

    # Four followers, two inboxes: the shared one once, and the one without a shared inbox.
    assert sorted(where for where, _body in Inboxes.received) == [
        "/inbox",
        "/users/dia/inbox",
    ]
    create = sent("/inbox")[0]
    assert create["type"] == "Create"
    assert create["actor"] == "http://testserver/federation/actors/embassy-news"
    article = create["object"]
    assert article["type"] == "Article"
    assert article["id"] == activities.entry_object_id(entry.pk)
    assert article["name"] == "Visa news"
    assert article["summary"] == "A short summary of the entry."
    assert "The body of the entry." in article["content"]
    assert article["contentMap"] == {"en": article["content"]}
    assert article["url"] == entry.reader_url()
    assert {tag["name"] for tag in article["tag"]} == {"#visas", "#consularhelp"}
    assert article["image"]["type"] == "Image"
    assert article["image"]["url"].startswith("http://testserver/")
    assert activities.PUBLIC in create["to"]

    Inboxes.received = []
    entry = EntryPage.objects.get(pk=entry.pk)
    entry.title = "Visa news, corrected"
    with django_capture_on_commit_callbacks(execute=True):
        entry.save_revision().publish()

    assert [body["type"] for body in sent()] == ["Update", "Update"]
    assert sent("/inbox")[0]["object"]["name"] == "Visa news, corrected"

    Inboxes.received = []
    with django_capture_on_commit_callbacks(execute=True):
        EntryPage.objects.get(pk=entry.pk).unpublish()

    # The Delete reaches the blogger's follower without a shared inbox too.
    assert sorted(where for where, _body in Inboxes.received) == ["/inbox", "/users/dia/inbox"]
    for body in sent():
        assert body["type"] == "Delete"
        assert body["object"] == {"id": article["id"], "type": "Tombstone"}

    Inboxes.received = []
    with django_capture_on_commit_callbacks(execute=True):
        EntryPage.objects.get(pk=entry.pk).save_revision().publish()
    assert [body["type"] for body in sent()] == ["Create", "Create"]

    Inboxes.received = []
    with django_capture_on_commit_callbacks(execute=True):
        EntryPage.objects.get(pk=entry.pk).delete()
    assert sorted(where for where, _body in Inboxes.received) == ["/inbox", "/users/dia/inbox"]
    assert {body["type"] for body in sent()} == {"Delete"}


def test_a_draft_sends_nothing(followed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        EntryFactory(blog=followed, live=False)

    assert Inboxes.received == []


def test_translations_are_linked_both_ways(followed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        original = EntryFactory(blog=followed, title="Visa news", language="en")
        version = blog_services.entry_translation_create(entry=original, language="fr")
        version.title = "Nouvelles des visas"
        version.save_revision().publish()

    french = next(body for body in sent("/inbox") if body["object"]["name"].startswith("Nouv"))
    assert french["type"] == "Create"
    assert french["object"]["translationOf"] == activities.entry_object_id(original.pk)
    assert french["object"]["contentMap"].keys() == {"fr"}
    english = activities.article(EntryPage.objects.get(pk=original.pk), authors=[])
    assert english["translations"] == [activities.entry_object_id(version.pk)]
