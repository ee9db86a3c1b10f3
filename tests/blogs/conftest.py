"""Shared fixtures for the reading site's tests."""

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.db import transaction

from dragoman.demo.builder import demo_build


@pytest.fixture(scope="module")
def demo_network(django_db_setup, django_db_blocker) -> Iterator[None]:
    """The demo network, built once per module and rolled back after it.

    Building takes seconds, so the module's tests share one build; each test still runs in
    its own savepoint inside this transaction, and no other module ever sees the data.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        cache.clear()
        demo_build(report=lambda _line: None)
        yield
        transaction.set_rollback(True)
    cache.clear()


@pytest.fixture
def uncached(settings) -> None:
    """Pages rendered by Django every time: the page cache (another app's concern) is off."""
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if "PageCache" not in name]
