"""Cached pages written as files for nginx: which pages, where, and how they go away (the
same pages served by a real nginx: test_pagefiles_nginx.py)."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from dragoman.core.changes import ContentChanged
from dragoman.publishing import pagecache, pagefiles, services
from dragoman.publishing.wsgi import PageCacheApplication
from tests.factories import EntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(settings: Any, tmp_path: Path) -> Path:
    settings.DRAGOMAN_PAGE_FILES_DIR = str(tmp_path / "pages")
    return tmp_path / "pages"


@pytest.fixture
def entry() -> Any:
    return EntryFactory(title="Opening of the trade office", tags=["trade"])


def page_file(files: Path, path: str, host: str = "testserver") -> Path:
    return files / "www" / host / path.lstrip("/") / "index.html"


def test_no_file_is_written_by_default(client, entry, settings, tmp_path):
    assert settings.DRAGOMAN_PAGE_FILES_DIR == ""

    client.get(entry.url)

    assert list(tmp_path.iterdir()) == []


def test_a_stored_page_is_written_with_its_compressed_copies(client, files, entry):
    response = client.get(entry.url)

    written = page_file(files, entry.url)
    assert written.read_bytes() == response.content
    assert written.with_name("index.html.gz").is_file()
    assert written.with_name("index.html.br").is_file()
    assert stat.S_IMODE(written.stat().st_mode) == 0o644  # nginx's user may read it


def test_an_address_with_a_query_string_writes_no_file(client, files, entry):
    client.get(entry.url + "?utm_source=newsletter")

    assert not page_file(files, entry.url).exists()


def test_a_page_whose_headers_nginx_would_not_send_stays_with_the_app(client, files, entry):
    response = client.get("/feed/rss/")  # an RSS feed, not text/html

    assert response.headers["X-Cache"] == "MISS"  # stored in the page cache all the same
    assert not (files / "www" / "testserver" / "feed" / "rss" / "index.html").exists()


def test_a_change_removes_exactly_the_files_of_the_pages_that_show_it(client, files, entry):
    other = EntryFactory(title="Elsewhere")
    for path in (entry.url, other.url):
        client.get(path)

    services.content_changed_refresh(ContentChanged(shown_on=(f"entry:{entry.pk}",)))

    assert not page_file(files, entry.url).exists()
    assert not page_file(files, entry.url).with_name("index.html.gz").exists()
    assert page_file(files, other.url).exists()


def test_refreshing_every_page_empties_the_folder(client, files, entry):
    client.get(entry.url)
    client.get("/")

    services.site_refresh()

    assert not (files / "www").exists()
    assert not (files / "index").exists()


def test_a_page_rendered_while_something_changed_never_stays_a_file(client, files, entry):
    client.get(entry.url)
    page_file(files, entry.url).unlink()
    key = pagecache.page_key(entry.url, "", host="testserver")
    epoch = pagecache.current_epoch(fresh=True)
    page = pagecache.lookup(key, epoch)
    assert page is not None
    pagecache.bump(["tag:unrelated"])  # the epoch moves while the file is written

    kept = pagefiles.keep(host="testserver", path=entry.url, secure=False, page=page, epoch=epoch)

    assert not kept
    assert not page_file(files, entry.url).exists()


def test_a_hit_writes_the_file_that_is_missing(client, files, entry):
    client.get(entry.url)
    page_file(files, entry.url).unlink()
    application = PageCacheApplication(lambda environ, start_response: [])
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": entry.url,
        "QUERY_STRING": "",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
    }

    body = b"".join(application(environ, lambda status, headers, exc=None: None))

    assert page_file(files, entry.url).read_bytes() == body


@pytest.mark.parametrize(
    ("host", "path"),
    [
        ("example.org:8000", "/blogs/"),  # a port: pages may link to it, nginx's $host has none
        ("example.org", "/blogs"),  # no trailing slash: not a folder's index
        ("example.org", "/blogs//x/"),
        ("example.org", "/blogs/../x/"),
        ("example.org", "/.well-known/x/"),
        # A folder named like the file would make nginx redirect its parent's address.
        ("example.org", "/blogs/index.html/"),
        ("", "/"),
    ],
)
def test_addresses_nginx_would_not_map_to_the_same_file_are_never_files(host, path):
    assert pagefiles.relative_file(host, path) is None


def test_a_mirror_and_the_main_host_have_files_of_their_own():
    assert pagefiles.relative_file("Mirror.Example", "/") == "mirror.example/index.html"
    assert pagefiles.relative_file("example.org", "/fr/") == "example.org/fr/index.html"


def test_https_pages_carry_strict_transport_security_and_plain_ones_do_not(settings):
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = False

    assert pagefiles.header_set("/", secure=True)["Strict-Transport-Security"] == (
        "max-age=3600; includeSubDomains"
    )
    assert "Strict-Transport-Security" not in pagefiles.header_set("/", secure=False)


def test_the_nginx_locations_name_the_folder_and_each_language(files, capsys):
    call_command("page_files_nginx", "--http")

    printed = capsys.readouterr().out
    assert f"root {files}/www/$host;" in printed
    assert "location /fr/ {" in printed
    assert "location /text/ar/ {" in printed
    assert 'add_header Content-Language "fr";' in printed
    assert "Strict-Transport-Security" not in printed


def test_the_nginx_maps_send_what_is_not_the_same_for_everyone_to_the_app(capsys, settings):
    settings.SESSION_COOKIE_NAME = "dragoman.session"

    call_command("page_files_nginx", "--maps")

    printed = capsys.readouterr().out
    assert 'map $request_method $dragoman_page_method { GET ""; HEAD ""; default app; }' in printed
    assert r'"~dragoman\.session=" app;' in printed
    assert "$args$http_authorization $dragoman_page_to_app {" in printed
