"""Cached pages as files, served by a real nginx in front of the app (the test's live server)
with the locations `dragoman page_files_nginx` generates."""

from __future__ import annotations

import gzip
import http.client
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from dragoman.communities import services as community_services
from dragoman.communities.models import Membership
from dragoman.conversations import services as conversation_services
from dragoman.publishing.pagefiles import nginx_locations, nginx_maps
from tests.communities.conftest import two  # noqa: F401 (a fixture)
from tests.factories import BloggerFactory, EntryFactory
from tests.ports import free_port

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)

pytestmark = [
    pytest.mark.skipif(NGINX is None, reason="nginx is not installed (Debian: nginx-light)"),
    pytest.mark.django_db(transaction=True),
]

# Set by the test's own location to the app only: who answered.
BY_APP = "X-Test-Served-By"
# Headers that say how or when bytes were sent, not what the page is.
TRANSPORT = {
    "date",
    "server",
    "etag",
    "last-modified",
    "content-length",
    "connection",
    "keep-alive",
    "transfer-encoding",
    "accept-ranges",
    "x-cache",
    BY_APP.lower(),
}


@pytest.fixture
def files(settings: Any, tmp_path: Path) -> Path:
    settings.DRAGOMAN_PAGE_FILES_DIR = str(tmp_path / "pages")
    settings.DRAGOMAN_PAGE_CACHE = True
    return tmp_path / "pages"


@pytest.fixture
def nginx(live_server: Any, files: Path, tmp_path: Path) -> Iterator[str]:
    """nginx on a free port: the generated locations, and the app as the named location."""
    port = free_port()
    app = urlsplit(live_server.url)
    folder = tmp_path / "nginx"
    (folder / "logs").mkdir(parents=True)
    temporary = " ".join(
        f"{kind}_temp_path {folder};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (folder / "nginx.conf").write_text(
        # As root, nginx's workers would run as nobody, who cannot enter pytest's folders.
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"""worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/logs/error.log;
daemon off;
events {{ worker_connections 64; }}
http {{
  access_log off;
  {temporary}
{nginx_maps()}
  server {{
    listen 127.0.0.1:{port};
    server_name _;
{nginx_locations(root=str(files), app="@dragoman", secure=False)}
    location @dragoman {{
      proxy_pass http://127.0.0.1:{app.port};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      add_header {BY_APP} app always;
    }}
  }}
}}
"""
    )
    process = subprocess.Popen(
        [NGINX, "-c", str(folder / "nginx.conf"), "-p", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    message = process.stderr.read().decode() if process.stderr else ""
                    raise RuntimeError(message) from None
                time.sleep(0.05)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def by_app(headers: dict[str, str]) -> bool:
    return headers.get(BY_APP) == "app"


def page_headers(headers: dict[str, str]) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items() if name.lower() not in TRANSPORT}


def files_under(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


@pytest.fixture
def entry() -> Any:
    return EntryFactory(
        title="Opening of the trade office",
        tags=["trade"],
        date=timezone.now() - timedelta(days=1),
    )


def test_after_the_first_hit_nginx_serves_the_page_from_its_file(nginx, files, entry):
    first = get(nginx + entry.url)
    second = get(nginx + entry.url)

    assert first[0] == second[0] == 200
    assert by_app(first[1])
    assert not by_app(second[1])
    assert second[2] == first[2]
    assert b"Opening of the trade office" in second[2]
    assert (files / "www" / "127.0.0.1" / entry.url.lstrip("/") / "index.html").is_file()


@pytest.mark.parametrize("address", ["entry", "/", "/fr/", "/text/", "/ar/"])
def test_nginx_sends_the_headers_the_app_sends(nginx, entry, address):
    path = entry.url if address == "entry" else address
    from_app = get(nginx + path)
    from_file = get(nginx + path)

    assert by_app(from_app[1]) and not by_app(from_file[1])
    assert page_headers(from_file[1]) == page_headers(from_app[1])
    assert from_file[1]["Content-Type"] == "text/html; charset=utf-8"


def test_nginx_serves_the_compressed_copy_the_cache_keeps(nginx, entry):
    from_app = get(nginx + entry.url, **{"Accept-Encoding": "gzip"})
    from_file = get(nginx + entry.url, **{"Accept-Encoding": "gzip"})

    assert not by_app(from_file[1])
    assert from_file[1]["Content-Encoding"] == from_app[1]["Content-Encoding"] == "gzip"
    assert page_headers(from_file[1]) == page_headers(from_app[1])
    assert gzip.decompress(from_file[2]) == gzip.decompress(from_app[2])


def test_an_edit_removes_the_file_and_nginx_serves_the_new_state(nginx, files, entry):
    get(nginx + entry.url)
    assert not by_app(get(nginx + entry.url)[1])

    entry.title = "Trade office opens its doors"
    entry.save_revision().publish()
    after = get(nginx + entry.url)
    again = get(nginx + entry.url)

    assert by_app(after[1])
    assert b"Trade office opens its doors" in after[2]
    assert not by_app(again[1])
    assert b"Trade office opens its doors" in again[2]
    assert b"Opening of the trade office" not in again[2]


def test_a_change_removes_the_files_of_the_pages_that_show_it_and_only_those(nginx, files, entry):
    other = EntryFactory(title="Elsewhere")
    for path in (entry.url, other.url, "/tags/trade/"):
        get(nginx + path)
    www = files / "www" / "127.0.0.1"

    entry.title = "Trade office opens its doors"
    entry.save_revision().publish()

    assert not (www / entry.url.lstrip("/") / "index.html").exists()
    assert not (www / "tags/trade/index.html").exists()
    assert (www / other.url.lstrip("/") / "index.html").exists()


def test_an_approved_comment_refreshes_the_file(nginx, entry):
    get(nginx + entry.url)
    assert not by_app(get(nginx + entry.url)[1])
    moderator = get_user_model().objects.create_superuser("mod", "mod@example.org", "pw")
    comment = conversation_services.comment_submit(
        entry=entry, blog=entry.get_parent().specific, name="Amina", body="Qwertz congratulations"
    )

    conversation_services.comment_approve(comment=comment, acting_user=moderator)
    after = get(nginx + entry.url)
    again = get(nginx + entry.url)

    assert by_app(after[1]) and b"Qwertz congratulations" in after[2]
    assert not by_app(again[1]) and b"Qwertz congratulations" in again[2]


def test_a_session_cookie_a_query_string_or_a_post_reach_the_app(nginx, entry):
    get(nginx + entry.url)
    assert not by_app(get(nginx + entry.url)[1])
    session = Client()
    session.force_login(get_user_model().objects.create_superuser("ed", "ed@example.org", "pw"))
    cookie = f"sessionid={session.cookies['sessionid'].value}"

    with_session = get(nginx + entry.url, Cookie=cookie)
    with_query = get(nginx + entry.url + "?utm_source=x")
    posted = urllib.request.Request(nginx + entry.url, data=b"a=1", method="POST")
    try:
        with urllib.request.urlopen(posted, timeout=10) as response:
            post_headers = dict(response.headers)
    except urllib.error.HTTPError as error:
        post_headers = dict(error.headers)
    activity = get(nginx + entry.url, Accept="application/activity+json")

    assert by_app(with_session[1])
    assert by_app(with_query[1])
    assert by_app(post_headers)
    assert by_app(activity[1])


def test_a_mirror_gets_its_own_files(nginx, files, entry, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "mirror.example"]
    settings.DRAGOMAN_MIRROR_HOSTS = ["mirror.example"]
    main = get(nginx + entry.url)
    get(nginx + entry.url, Host="mirror.example")
    mirror = get(nginx + entry.url, Host="mirror.example")

    assert not by_app(mirror[1])
    assert (files / "www" / "mirror.example" / entry.url.lstrip("/") / "index.html").is_file()
    assert (files / "www" / "127.0.0.1" / entry.url.lstrip("/") / "index.html").is_file()
    assert (
        mirror[2]
        == (files / "www" / "mirror.example" / entry.url.lstrip("/") / "index.html").read_bytes()
    )
    assert main[0] == 200


MARKER = "Qwertzalumni"


def test_members_pages_never_become_files_nor_reach_anyone_else(nginx, files, two):  # noqa: F811
    entry = EntryFactory(
        blog=two.a.blog,
        authors=[BloggerFactory()],
        title=f"{MARKER} entry",
        date=timezone.now() - timedelta(hours=1),
    )
    membership = Membership.objects.get(user=two.member_a)
    topic = community_services.topic_create(
        membership=membership, title=f"{MARKER} topic", body="Hello"
    )
    token = community_services.feed_token_renew(membership=membership)
    addresses = [
        entry.url,
        two.a.blog.url,
        "/members/alumni-a/",
        f"/members/alumni-a/threads/{topic.pk}/",
        "/members/alumni-a/directory/",
        "/fr/members/alumni-a/",
        f"/members/alumni-a/feed/{token}/",
    ]
    member = Client()
    member.force_login(two.member_a)
    cookie = f"sessionid={member.cookies['sessionid'].value}"
    seen = {}
    for address in addresses:
        seen[address] = get(nginx + address, Cookie=cookie)
        get(nginx + address, Cookie=cookie)  # a second time: a hit would write a file
    assert all(status == 200 for status, _headers, _body in seen.values())
    assert MARKER.encode() in seen[entry.url][2]

    anonymous = [get(nginx + address) for address in addresses[:-1] for _ in range(2)]

    assert all(MARKER.encode() not in body for _status, _headers, body in anonymous)
    assert all(by_app(headers) for _status, headers, _body in anonymous)
    assert not any(MARKER.encode() in path.read_bytes() for path in files_under(files))


def test_an_address_without_a_file_reaches_the_app_then_gets_its_file(nginx, files):
    # nginx tries the file, finds none, and passes the address on without the file's name.
    entry = EntryFactory(title="افتتاح المكتب التجاري", date=timezone.now() - timedelta(days=1))
    path = unquote(entry.url)
    assert not path.isascii()  # percent-encoded in the address, decoded in the file's name

    first = get(nginx + entry.url)
    second = get(nginx + entry.url)

    assert first[0] == second[0] == 200
    assert by_app(first[1]) and "افتتاح المكتب التجاري".encode() in first[2]
    assert not by_app(second[1]) and second[2] == first[2]
    assert (files / "www" / "127.0.0.1" / path.lstrip("/") / "index.html").is_file()


def test_only_a_pages_own_address_is_answered_from_its_file(nginx, entry):
    get(nginx + entry.url)
    assert not by_app(get(nginx + entry.url)[1])
    port = int(urlsplit(nginx).port or 80)

    def answer(path: str) -> tuple[int, bool]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", path)  # no redirect followed
        response = connection.getresponse()
        connection.close()
        return response.status, response.getheader(BY_APP) == "app"

    assert answer(entry.url.rstrip("/")) == (301, True)  # Django's, adding the slash
    assert answer(entry.url + "index.html")[1]
    assert answer(entry.url + "index.html.gz")[1]
