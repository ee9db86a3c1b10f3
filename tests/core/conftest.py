from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import caches
from django.db import transaction
from django.test import Client, RequestFactory, override_settings
from django.urls import get_resolver

from tests.cache_backends import shared_cache  # noqa: F401 (a fixture)
from tests.core.demo_pages import demo_pages_build


@dataclass(frozen=True)
class RenderedPage:
    path: str
    status: int
    html: str
    headers: dict[str, str]


@pytest.fixture(scope="session")
def demo_site(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, RenderedPage]]:
    """The demo network's reading pages as an anonymous reader receives them, by name.

    The network is built once per run inside a transaction that is rolled back, so other tests
    never see it; ask for it from tests marked `django_db`, which pytest-django runs before the
    transactional ones that empty the database.
    """
    # Rendered past the page and fragment caches, which would otherwise remember pages and
    # tag clouds of a demo that is rolled back.
    with (
        django_db_blocker.unblock(),
        override_settings(DRAGOMAN_PAGE_CACHE=False, DRAGOMAN_FRAGMENT_CACHE=False),
    ):
        with transaction.atomic():
            paths = demo_pages_build()
            client = Client()
            pages = {}
            # The text-only version of the entry (dragoman/core/textonly.py).
            paths["text-only entry"] = "/text" + paths["entry"]
            for name, path in paths.items():
                response = client.get(path)
                pages[name] = RenderedPage(
                    path=path,
                    status=response.status_code,
                    html=response.content.decode(),
                    headers=dict(response.headers),
                )
            response = client.get("/no-such-page/")
            pages["not found"] = RenderedPage(
                "/no-such-page/", response.status_code, response.content.decode(), {}
            )
            response = get_resolver().resolve_error_handler(500)(RequestFactory().get("/"))
            pages["server error"] = RenderedPage(
                "", response.status_code, response.content.decode(), {}
            )
            transaction.set_rollback(True)
        # Nothing cached while the demo existed may outlive it.
        for cache in caches.all():
            cache.clear()
    yield pages
