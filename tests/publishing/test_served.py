"""The hook for counting served pages: told of hits and renders, never breaking a page."""

import pytest

from dragoman.publishing import served
from tests.factories import EntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def told():
    seen = []
    results: list[str | None] = []  # the page cache's answer, as the environ says it

    def watcher(environ, path, status, shows):
        seen.append((environ["REQUEST_METHOD"], path, status, sorted(shows)))
        results.append(environ.get(served.CACHE_RESULT))

    served.watch(watcher)
    yield seen, results
    served.unwatch(watcher)


def test_watchers_hear_of_renders_and_hits_with_what_the_page_shows(client, told):
    told, results = told
    entry = EntryFactory()
    client.get(entry.url)
    client.get(entry.url)
    client.head(entry.url)
    client.get("/admin/")  # never a public page

    # How the page cache answered, for the operations' metrics: one hook for both.
    assert results == ["miss", "hit", "hit"]
    assert [(m, s) for m, _p, s, _d in told] == [("GET", 200), ("GET", 200), ("HEAD", 200)]
    assert all(path == entry.url for _m, path, _s, _d in told)
    assert all(f"entry:{entry.pk}" in shows for _m, _p, _s, shows in told)


def test_a_page_rendered_and_not_stored_is_told_as_a_bypass(client, told):
    told, results = told
    entry = EntryFactory()
    client.head(entry.url)  # a HEAD is answered as rendered, never stored

    assert [(m, s) for m, _p, s, _d in told] == [("HEAD", 200)]
    assert results == ["bypass"]


def test_with_the_page_cache_off_pages_are_told_without_a_cache_result(client, told, settings):
    told, results = told
    settings.DRAGOMAN_PAGE_CACHE = False
    entry = EntryFactory()
    client.get(entry.url)

    assert [(m, s) for m, _p, s, _d in told] == [("GET", 200)]
    assert results == [None]


def test_a_failing_watcher_never_breaks_the_page(client):
    def broken(*args):
        raise RuntimeError("counting is down")

    served.watch(broken)
    try:
        entry = EntryFactory()
        assert client.get(entry.url).status_code == 200
        assert client.get(entry.url).status_code == 200
    finally:
        served.unwatch(broken)
