"""Shared helpers for conversation tests: a live entry, and a reader posting a comment."""

import time
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from dragoman.conversations import defences
from tests.cache_backends import shared_cache  # noqa: F401 (a fixture)
from tests.factories import EntryFactory

ORIGIN = "http://testserver"


@pytest.fixture(autouse=True)
def _conversation_settings(settings: Any) -> None:
    # Reader emails run at once in tests, and each test starts with an empty rate counter.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DRAGOMAN_AKISMET_KEY = ""
    settings.DRAGOMAN_COMMENT_BENCHMARK = False
    settings.DRAGOMAN_PAGE_CACHE = False
    cache.clear()


@pytest.fixture
def entry(db: Any) -> Any:
    # Comments close 90 days after publication; the factory's entries are older than that.
    return EntryFactory(
        title="Opening of the new consulate", date=timezone.now() - timedelta(days=1)
    )


def comment_data(entry: Any, **overrides: Any) -> dict[str, Any]:
    """What a person's browser sends: the form as shown, filled in, ten seconds later."""
    data = {
        "name": "Amina",
        "email": "amina@example.org",
        "body": "Congratulations on the opening!",
        "website": "",
        "stamp": defences.form_stamp(entry_id=entry.pk, now=time.time() - 10),
    }
    data.update(overrides)
    return data


def post_comment(
    client: Any, entry: Any, *, headers: dict[str, str] | None = None, **overrides: Any
) -> Any:
    from django.urls import reverse

    return client.post(
        reverse("conversations:comment_create", args=[entry.pk]),
        comment_data(entry, **overrides),
        headers={"Origin": ORIGIN} if headers is None else headers,
    )
