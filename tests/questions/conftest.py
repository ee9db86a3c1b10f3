"""Shared helpers for question session tests: a running session, a reader asking, voting."""

import time
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from dragoman.conversations import defences
from dragoman.questions import services
from tests.factories import BlogFactory

ORIGIN = "http://testserver"


@pytest.fixture(autouse=True)
def _question_settings(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.DRAGOMAN_AKISMET_KEY = ""
    settings.DRAGOMAN_COMMENT_BENCHMARK = False
    settings.DRAGOMAN_PAGE_CACHE = False
    settings.DRAGOMAN_LIVE_REDIS_URL = ""
    cache.clear()


def session_make(*, ended: bool = False, **overrides: Any) -> Any:
    blog = BlogFactory()
    now = timezone.now()
    values: dict[str, Any] = {
        "parent": blog,
        "title": "Ask the ambassador",
        "summary": "The ambassador answers your questions about the new visa rules.",
        "starts_at": now - timedelta(days=2 if ended else 0, minutes=10),
        "ends_at": now - timedelta(days=2) + timedelta(hours=1)
        if ended
        else now + timedelta(hours=1),
        "officials": list(blog.bloggers.all()),
        "time_zone": "Europe/Paris",
    }
    values.update(overrides)
    return services.session_create(**values)


@pytest.fixture
def session(db: Any) -> Any:
    return session_make()


def question_data(session: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Amina",
        "body": "When will the new visa rules apply?",
        "website": "",
        "stamp": defences.form_stamp(entry_id=session.pk, now=time.time() - 10),
    }
    data.update(overrides)
    return data


def ask(
    client: Any, session: Any, *, headers: dict[str, str] | None = None, **overrides: Any
) -> Any:
    return client.post(
        reverse("questions:question_create", args=[session.pk]),
        question_data(session, **overrides),
        headers={"Origin": ORIGIN} if headers is None else headers,
    )


def vote(
    client: Any, session: Any, question: Any, *, stamp: str | None = None, **kwargs: Any
) -> Any:
    data = {
        "stamp": stamp
        if stamp is not None
        else defences.form_stamp(entry_id=session.pk, now=time.time() - 10)
    }
    return client.post(
        reverse("questions:question_vote", args=[session.pk, question.pk]),
        data,
        headers={"Origin": ORIGIN},
        **kwargs,
    )
