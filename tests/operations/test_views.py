"""`/readyz` for load balancers (and core's `/healthz`), `/metrics` for Prometheus."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from tests.operations.sites import python, site_env
from tests.ports import free_port

READYZ = r"""
import json
import django
django.setup()
from django.test import Client
response = Client().get("/readyz", HTTP_HOST="127.0.0.1")
print(json.dumps({"status": response.status_code, "body": response.json()}))
"""


def readyz_in_a_process(tmp_path, **env: str) -> dict:
    output = python(site_env(tmp_path / "site", **env), READYZ)
    return json.loads(output.strip().splitlines()[-1])


def test_health_answers_without_the_database_and_is_never_stored(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


@pytest.mark.django_db
def test_ready_when_database_cache_migrations_and_queue_are_fine(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {
        "ready": True,
        "checks": {"database": "ok", "cache": "ok", "migrations": "ok", "tasks": "ok"},
    }
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


@pytest.mark.django_db
def test_not_ready_when_more_tasks_wait_than_the_limit(client, settings):
    from dragoman.core.changes import ContentChanged, _task_enqueue

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    settings.DRAGOMAN_READY_MAX_BACKLOG = 0
    _task_enqueue(
        "tests.core.test_scheduler.listener", ContentChanged(shown_on=("home",)), attempt=1
    )

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["tasks"] == "failed: RuntimeError"


def test_not_ready_when_the_database_is_down(tmp_path):
    answer = readyz_in_a_process(
        tmp_path, DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/nothing"
    )

    assert answer["status"] == 503
    assert answer["body"]["checks"]["database"] == "failed: OperationalError"
    assert answer["body"]["checks"]["cache"] == "ok"


def test_not_ready_when_the_cache_is_down(tmp_path):
    (tmp_path / "site").mkdir()
    python(
        site_env(tmp_path / "site"),
        "import django; django.setup(); "
        "from django.core.management import call_command; call_command('migrate', verbosity=0)",
    )

    answer = readyz_in_a_process(tmp_path, CACHE_URL=f"redis://127.0.0.1:{free_port()}/7")

    assert answer["status"] == 503
    assert answer["body"]["checks"]["cache"] == "failed: ConnectionError"
    assert answer["body"]["checks"]["database"] == "ok"


def test_not_ready_before_the_migrations_are_applied(tmp_path):
    (tmp_path / "site").mkdir()
    answer = readyz_in_a_process(tmp_path)  # a new, empty database

    assert answer["status"] == 503
    assert answer["body"]["checks"]["migrations"] == "failed: RuntimeError"


@pytest.mark.django_db
def test_metrics_answer_an_allowed_address_with_the_queues(client):
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")

    assert response.status_code == 200
    text = response.content.decode()
    assert "dragoman_comments_waiting 0.0" in text
    assert 'dragoman_tasks{status="failed"} 0.0' in text
    assert re.search(r"^dragoman_tasks_ready \d+\.0$", text, re.MULTILINE)
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_metrics_count_the_comments_and_questions_waiting_for_a_moderator(client):
    from dragoman.conversations.models import Comment
    from dragoman.questions.models import Question
    from tests.factories import EntryFactory
    from tests.questions.conftest import session_make

    entry = EntryFactory()
    for status in (Comment.Status.PENDING, Comment.Status.PENDING, Comment.Status.APPROVED):
        Comment.objects.create(
            entry=entry,
            blog=entry.get_parent().specific,
            name="Amina",
            body="Thanks.",
            status=status,
        )
    session = session_make()
    for status in (Question.Status.PENDING, Question.Status.ANSWERED):
        Question.objects.create(session=session, body="When?", body_hash="h", status=status)

    text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()

    assert "dragoman_comments_waiting 2.0" in text
    assert "dragoman_questions_waiting 1.0" in text


@pytest.mark.django_db
def test_metrics_refuse_other_addresses_unless_they_bring_the_token(settings):
    settings.DRAGOMAN_METRICS_TOKEN = "a-secret-token-for-prometheus"
    client = Client(REMOTE_ADDR="203.0.113.9")

    refused = client.get("/metrics")
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer another-token")
    allowed = client.get("/metrics", HTTP_AUTHORIZATION="Bearer a-secret-token-for-prometheus")

    assert refused.status_code == 403
    assert wrong.status_code == 403
    assert allowed.status_code == 200


@pytest.mark.django_db
def test_metrics_read_the_client_address_from_the_front_server_behind_one(settings):
    # Behind nginx every request comes from 127.0.0.1: the forwarded address decides.
    settings.DRAGOMAN_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    client = Client(REMOTE_ADDR="127.0.0.1")

    assert client.get("/metrics", HTTP_X_REAL_IP="203.0.113.9").status_code == 403
    assert client.get("/metrics", HTTP_X_REAL_IP="127.0.0.1").status_code == 200
