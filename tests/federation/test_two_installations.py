"""Two Dragoman installations on loopback, each with its own database.

A is pytest-django's live server; B is `dragoman serve` in a subprocess (its own SQLite
database and data folder, a free port), driven through `manage.py shell`. Both run in
authorized-fetch mode (Mastodon's "secure mode"): every fetch of an actor from the other
must be signed by the fetching server's own actor.

1. B's practitioners' group follows a blog on A; an entry published on A arrives on B; the
   group's reply enters A's moderation queue; the approved official answer arrives back on B.
2. A's digital team opens a group; B's readers follow it; a post from B's practitioners
   waits for A's team, and once approved is relayed to B's readers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from dragoman.conversations.models import Comment
from dragoman.conversations.services import comment_approve, official_reply_create
from dragoman.federation import services
from dragoman.federation.models import Follow, LocalActor, Received
from tests.factories import BlogFactory, EntryFactory
from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]


def b_environment(folder: Path, b: str) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST", "DATABASE_URL", "CACHE_URL"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="dragoman.settings",
        DRAGOMAN_DATA_DIR=str(folder),
        DATABASE_URL=f"sqlite:///{folder / 'b.sqlite3'}",
        CACHE_URL=f"filecache://{folder / 'cache'}",
        DRAGOMAN_BASE_URL=b,
        DRAGOMAN_ALLOWED_HOSTS="127.0.0.1,localhost",
        DRAGOMAN_FEDERATION_ALLOW_PRIVATE="true",
        DRAGOMAN_FEDERATION_AUTHORIZED_FETCH="true",
        DRAGOMAN_TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
        DRAGOMAN_SCHEDULER="off",
        DRAGOMAN_SQLITE_SYNCHRONOUS="NORMAL",
    )
    return environment


def b_shell(environment: dict[str, str], code: str) -> Any:
    """Run Python on B (its database, its settings); the last line printed is JSON."""
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def installation_b(tmp_path: Path):
    port = free_port()
    b = f"http://127.0.0.1:{port}"
    environment = b_environment(tmp_path, b)
    log = open(tmp_path / "serve.log", "w")  # noqa: SIM115 - closed below
    # Three workers: while one waits on A (checking a signature), A may be fetching B's
    # own actor from another.
    server = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "serve",
            "--port",
            str(port),
            "--workers",
            "3",
            "--no-live",
        ],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{b}/healthz", timeout=15):
                    break
            except OSError:
                if server.poll() is not None:
                    pytest.fail((tmp_path / "serve.log").read_text()[-3000:])
                time.sleep(0.5)
        else:
            pytest.fail("Installation B did not start: " + (tmp_path / "serve.log").read_text())
        yield b, environment
    finally:
        server.terminate()
        server.wait(30)
        log.close()


@pytest.fixture
def installation_a(settings: Any, live_server: Any) -> str:
    settings.BASE_URL = live_server.url
    settings.DRAGOMAN_FEDERATION_ALLOW_PRIVATE = True
    settings.DRAGOMAN_FEDERATION_AUTHORIZED_FETCH = True
    settings.DRAGOMAN_PAGE_CACHE = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.ALLOWED_HOSTS = ["*"]
    return live_server.url


def wait_for(condition: Any, seconds: float = 30) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.5)
    return None


@pytest.mark.django_db(transaction=True)
def test_a_conversation_between_two_installations(installation_a, installation_b):
    a = installation_a
    _b, installation_b = installation_b
    BlogFactory(slug="embassy-news", title="Embassy news")
    host_a = a.split("://", 1)[1]

    # B's practitioners' group follows A's blog, found by its handle.
    followed = b_shell(
        installation_b,
        f"""
import json
from dragoman.federation import remote, services
group = services.group_create(username="practitioners", name="Digital practitioners")
blog = remote.actor_get(remote.webfinger("embassy-news@{host_a}"))
services.follow_send(local=group, remote=blog)
print(json.dumps(blog.uri))
""",
    )
    assert followed == f"{a}/federation/actors/embassy-news"
    assert wait_for(lambda: Follow.objects.filter(status="accepted").exists())
    assert wait_for(
        lambda: (
            b_shell(
                installation_b,
                "import json\nfrom dragoman.federation.models import Follow\n"
                "print(json.dumps(list(Follow.objects.values_list('status', flat=True))))",
            )
            == ["accepted"]
        )
    )

    # An entry published on A arrives on B.
    entry = EntryFactory(
        blog=BlogFactory._meta.model.objects.get(slug="embassy-news"),
        title="Working with embassies online",
        date=timezone.now() - timedelta(hours=1),
    )
    read_received = (
        "import json\nfrom dragoman.federation.models import Received\n"
        "print(json.dumps(list(Received.objects.values('object_id', 'kind', 'in_reply_to'))))"
    )
    received = wait_for(lambda: b_shell(installation_b, read_received))
    assert received == [
        {"object_id": f"{a}/entries/{entry.pk}/", "kind": "Article", "in_reply_to": ""}
    ]

    # B's group replies; the reply waits in A's moderation queue.
    note_id = b_shell(
        installation_b,
        f"""
import json
from dragoman.federation import remote, services
from dragoman.federation.models import LocalActor
group = LocalActor.objects.get(username="practitioners")
blog = remote.actor_get("{a}/federation/actors/embassy-news")
print(json.dumps(services.note_send(local=group, in_reply_to="{a}/entries/{entry.pk}/",
    to=blog, content_html="<p>We tried this in our ministry too.</p>")))
""",
    )
    comment = wait_for(lambda: Comment.objects.filter(entry=entry).first())
    assert comment.status == Comment.Status.PENDING
    assert comment.body == "We tried this in our ministry too."
    assert "practitioners@127.0.0.1" in comment.name

    # Approved and answered on A: the answer arrives back on B, in reply to B's note.
    moderator = get_user_model().objects.create_superuser("moderator", "m@example.org", "x")
    comment_approve(comment=comment, acting_user=moderator)
    official_reply_create(comment=comment, acting_user=moderator, body="Thank you, colleagues.")
    answers = wait_for(
        lambda: [r for r in b_shell(installation_b, read_received) if r["in_reply_to"] == note_id]
    )
    assert answers and answers[0]["kind"] == "Note"


def get_status(url: str) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(url, headers={"Accept": "application/activity+json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {}


@pytest.mark.django_db(transaction=True)
def test_a_group_relays_approved_posts_between_installations(installation_a, installation_b):
    a = installation_a
    b, installation_b = installation_b
    host_a = a.split("://", 1)[1]
    group = services.group_create(username="digital-practitioners", name="Digital practitioners")

    # B's readers follow A's group; B's practitioners follow it too, and post to it.
    b_shell(
        installation_b,
        f"""
import json
from dragoman.federation import remote, services
group = remote.actor_get(remote.webfinger("digital-practitioners@{host_a}"))
for username in ("readers", "practitioners"):
    services.follow_send(local=services.group_create(username=username, name=username),
        remote=group)
print(json.dumps(group.uri))
""",
    )
    assert wait_for(lambda: Follow.objects.filter(local=group, status="accepted").count() == 2)

    # Authorized fetch on B: its actors only to signed requests; its own actor to anyone.
    assert get_status(f"{b}/federation/actors/readers")[0] == 401
    status, instance = get_status(f"{b}/federation/actor")
    assert status == 200 and instance["type"] == "Application"
    assert instance["publicKey"]["owner"] == f"{b}/federation/actor"

    note_id = b_shell(
        installation_b,
        f"""
import json
from dragoman.federation import remote, services
from dragoman.federation.models import LocalActor
author = LocalActor.objects.get(username="practitioners")
group = remote.actor_get("{a}/federation/actors/digital-practitioners")
print(json.dumps(services.note_send(local=author, to=group,
    content_html="<p>How do your ministries moderate replies?</p>")))
""",
    )
    post = wait_for(lambda: Received.objects.filter(local=group, object_id=note_id).first())
    assert post is not None and not post.approved
    read_relayed = (
        "import json\nfrom dragoman.federation.models import Received\n"
        "print(json.dumps(list(Received.objects.filter(local__username='readers')"
        ".values_list('object_id', 'content'))))"
    )
    # Not relayed before the hosting team approves it.
    assert b_shell(installation_b, read_relayed) == []

    moderator = get_user_model().objects.create_superuser("host", "h@example.org", "x")
    services.received_approve(received=post, acting_user=moderator)
    relayed = wait_for(lambda: b_shell(installation_b, read_relayed))
    assert relayed == [[note_id, "<p>How do your ministries moderate replies?</p>"]]
    assert LocalActor.objects.filter(kind=LocalActor.Kind.INSTANCE).count() == 1
