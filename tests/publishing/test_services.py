"""Publishing's own services: pages marked stale by what a change names, now and after the
commit; the addresses a CDN must purge, found through what the apps registered; the purge
itself, sent to an HTTP server on loopback."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dragoman.core.changes import ContentChanged, Dependency, announce
from dragoman.publishing import dependencies, services
from tests.factories import EntryFactory

pytestmark = pytest.mark.django_db


def cache_state(client, url: str) -> str:
    return client.get(url).headers["X-Cache"]


def test_an_announced_change_marks_its_pages_stale_at_once_and_again_after_commit(
    client, django_capture_on_commit_callbacks
):
    entry, other = EntryFactory(), EntryFactory()
    for url in (entry.url, other.url):
        client.get(url)
        assert cache_state(client, url) == "HIT"

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        announce(ContentChanged(shown_on=(f"entry:{entry.pk}",)))
        assert cache_state(client, entry.url) == "MISS"  # in the transaction already
        assert cache_state(client, entry.url) == "HIT"  # rendered again meanwhile
    for callback in callbacks:
        callback()

    assert cache_state(client, entry.url) == "MISS"  # the render meanwhile is stale too
    assert cache_state(client, other.url) == "HIT"


def test_site_refresh_makes_every_page_stale(client):
    entry = EntryFactory()
    client.get(entry.url)
    client.get("/")

    services.site_refresh()

    assert cache_state(client, entry.url) == "MISS"
    assert cache_state(client, "/") == "MISS"


def test_addresses_come_from_what_the_apps_registered_in_every_language():
    entry = EntryFactory(tags=["trade"])

    urls = services.dependency_urls(f"entry:{entry.pk}") + services.dependency_urls(
        Dependency("tag", "trade")
    )

    assert f"http://127.0.0.1:8000{entry.url}" in urls
    assert "http://127.0.0.1:8000/tags/trade/" in urls
    assert "http://127.0.0.1:8000/fr/tags/trade/" in urls
    assert "http://127.0.0.1:8000/ar/tags/trade/feed/rss/" in urls
    assert services.dependency_urls("no-such-kind:1") == []


def test_a_route_not_registered_is_never_cached(rf):
    from django.urls import resolve

    request = rf.get("/search/")
    request.resolver_match = resolve("/search/")

    assert dependencies.request_dependencies(request) is None


class PurgeRecorder(BaseHTTPRequestHandler):
    purged: list[str] = []

    def do_PURGE(self) -> None:  # the HTTP method PURGE
        PurgeRecorder.purged.append(f"{self.headers['Host']}{self.path}")
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def cdn(settings):
    """An HTTP server on loopback standing for the CDN: it records the PURGE requests."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), PurgeRecorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    PurgeRecorder.purged = []
    # Wagtail sends purges as tasks: run here at once (the scheduler runs them in production).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_address[1]}",
        }
    }
    yield PurgeRecorder.purged
    server.shutdown()


def test_after_the_commit_the_cdn_is_asked_to_purge_the_changed_pages(
    cdn, django_capture_on_commit_callbacks
):
    entry = EntryFactory()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        announce(ContentChanged(shown_on=(f"entry:{entry.pk}",)))
    assert cdn == []  # never before the commit
    for callback in callbacks:
        callback()

    assert f"127.0.0.1:8000{entry.url}" in cdn
    assert f"127.0.0.1:8000/fr{entry.url}" in cdn


def test_a_cdn_that_is_down_never_breaks_publishing(settings):
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": "http://127.0.0.1:9",  # discard: nothing answers
        }
    }

    # The outage is logged; raising here would roll back the editor's publish.
    services.frontend_cache_purge(dependencies=["home"])
