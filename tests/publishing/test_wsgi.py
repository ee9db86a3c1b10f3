"""The fast path answers page-cache hits before Django; everything else reaches Django."""

import gzip
from io import BytesIO

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from dragoman.publishing import served
from dragoman.publishing.wsgi import PageCacheApplication
from tests.factories import EntryFactory

pytestmark = pytest.mark.django_db


class CountingDjango:
    """Django's own WSGI handler, counting the requests that reach it."""

    def __init__(self) -> None:
        self.handler = WSGIHandler()
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.handler(environ, start_response)


@pytest.fixture
def app():
    # As Django's test client does: keep the test's transaction open between requests
    # (closing "old" connections would close the test's own, on PostgreSQL).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield PageCacheApplication(CountingDjango())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def call(app, path, method="GET", **headers):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path.split("?")[0],
        "QUERY_STRING": path.partition("?")[2],
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": BytesIO(b""),
        "wsgi.errors": BytesIO(),
        "SCRIPT_NAME": "",
        **{"HTTP_" + name.upper(): value for name, value in headers.items()},
    }
    status = {}

    def start_response(line, response_headers, exc_info=None):
        status["line"] = line
        status["headers"] = dict(response_headers)

    body = b"".join(app(environ, start_response))
    return status["line"], status["headers"], body


@pytest.fixture
def entry():
    return EntryFactory(title="Opening of the trade office")


def test_a_hit_never_reaches_django(app, entry):
    _line, _headers, rendered = call(app, entry.url)

    line, headers, body = call(app, entry.url)

    assert line == "200 OK"
    assert headers["X-Cache"] == "HIT"
    assert body == rendered
    assert app.app.calls == 1


def test_a_hit_is_compressed_when_accepted(app, entry):
    _line, _headers, rendered = call(app, entry.url)

    _line, headers, body = call(app, entry.url, accept_encoding="gzip")

    assert headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == rendered


def test_a_hit_answers_if_none_match_with_304(app, entry):
    etag = call(app, entry.url)[1]["ETag"]

    line, _headers, body = call(app, entry.url, if_none_match=etag)

    assert line == "304 Not Modified"
    assert body == b""


def test_watchers_of_served_pages_hear_of_hits_and_304s_as_hits(app, entry):
    told = []

    def watcher(environ, path, status, shows):
        told.append((path, status, environ.get(served.CACHE_RESULT), f"entry:{entry.pk}" in shows))

    served.watch(watcher)
    try:
        etag = call(app, entry.url)[1]["ETag"]  # rendered and stored (the middleware's miss)
        call(app, entry.url)
        call(app, entry.url, if_none_match=etag)
    finally:
        served.unwatch(watcher)

    assert told == [
        (entry.url, 200, "miss", True),
        (entry.url, 200, "hit", True),
        (entry.url, 304, "hit", True),
    ]
    assert app.app.calls == 1


def test_head_of_a_hit_has_no_body(app, entry):
    call(app, entry.url)

    _line, headers, body = call(app, entry.url, method="HEAD")

    assert body == b""
    assert int(headers["Content-Length"]) > 0


@pytest.mark.parametrize(
    "headers",
    [{"cookie": "sessionid=abc"}, {"authorization": "Basic eDp5"}, {"host": "evil.example"}],
)
def test_sessions_credentials_and_unknown_hosts_go_to_django(app, entry, headers):
    call(app, entry.url)

    _line, response_headers, _body = call(app, entry.url, **headers)

    assert response_headers.get("X-Cache") != "HIT"
    assert app.app.calls == 2


def test_admin_addresses_go_to_django(app, entry):
    call(app, "/admin/login/")

    call(app, "/admin/login/")

    assert app.app.calls == 2


def test_an_activitypub_client_goes_to_django_and_gets_the_article(app, entry, settings):
    # The fast path holds the HTML form only: a server asking for the ActivityPub form of a
    # cached page is never handed the page (dragoman/federation/negotiation.py answers it).
    settings.BASE_URL = "http://127.0.0.1"
    call(app, entry.url)

    _line, headers, body = call(app, entry.url, accept="application/activity+json")

    assert headers.get("X-Cache") != "HIT"
    assert headers["Content-Type"] == "application/activity+json"
    assert b'"type": "Article"' in body
    assert app.app.calls == 2


def test_each_encoding_of_a_hit_gets_its_own_answer_however_often_asked(app, entry):
    _line, _headers, rendered = call(app, entry.url)

    answers = [
        call(app, entry.url, accept_encoding=accepted)
        for accepted in ("gzip", "br", "", "gzip", "br", "")
    ]

    encodings = [headers.get("Content-Encoding") for _line, headers, _body in answers]
    assert encodings == ["gzip", "br", None] * 2
    assert answers[2][2] == answers[5][2] == rendered
    assert gzip.decompress(answers[3][2]) == rendered


def test_a_changed_setting_is_read_again_by_the_fast_path(app, entry, settings):
    call(app, entry.url)
    settings.DRAGOMAN_CDN_MAX_AGE = 1234
    settings.DRAGOMAN_PAGE_CACHE = False

    line, headers, _body = call(app, entry.url)

    assert line == "200 OK"
    assert "X-Cache" not in headers  # the page cache is off: Django answered
    assert app.app.calls == 2
    settings.DRAGOMAN_PAGE_CACHE = True
    assert call(app, entry.url)[1]["Cache-Control"].endswith("s-maxage=1234")
