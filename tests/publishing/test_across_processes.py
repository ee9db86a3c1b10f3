"""Two real servers share one Redis: an editor unpublishes through one, readers of the other
see the change within a second."""

import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
DRAGOMAN = Path(sys.executable).parent / "dragoman"
REDIS = ("127.0.0.1", 6379)
REDIS_URL = "redis://127.0.0.1:6379/5"


def redis_available() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1):
            return True
    except OSError:
        return False


pytestmark = [
    pytest.mark.skipif(not redis_available(), reason="no Redis on 127.0.0.1:6379"),
    pytest.mark.skipif(
        shutil.which("granian", path=str(DRAGOMAN.parent)) is None,
        reason="granian is not installed",
    ),
]


def redis_keys_delete(cache_url: str) -> None:
    """Delete what the servers stored under the run's key prefix (Django writes prefix:version:key)."""
    import redis

    prefix = urllib.parse.parse_qs(urllib.parse.urlsplit(cache_url).query)["key_prefix"][0]
    client = redis.Redis.from_url(REDIS_URL)
    try:
        for key in client.scan_iter(match=f"{prefix}:*", count=1000):
            client.delete(key)
    finally:
        client.close()


class Browser:
    """A tiny HTTP client with cookies (for the editor) or without (for readers)."""

    def __init__(self, cookies: bool = False) -> None:
        handlers = (
            [urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())] if cookies else []
        )
        self.opener = urllib.request.build_opener(*handlers)

    def get(self, url: str) -> tuple[int, dict[str, str], str]:
        try:
            with self.opener.open(url, timeout=10) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()
        except OSError:
            return 0, {}, ""  # not listening yet

    def post(self, url: str, data: dict[str, str]) -> int:
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(url, data=body, headers={"Referer": url})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "no CSRF token on the form"
    return match.group(1)


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("two-servers")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dragoman.settings",
        "DRAGOMAN_DATA_DIR": str(data_dir),
        # Keys of this run only: another run may use the same Redis database at the same time
        # (the SQLite and PostgreSQL suites, or two checkouts), with a data set of its own.
        "CACHE_URL": f"{REDIS_URL}?key_prefix=two-servers-{uuid.uuid4().hex}",
        "DRAGOMAN_SCHEDULER": "off",
        "DRAGOMAN_LOG_LEVEL": "WARNING",
        "DJANGO_SUPERUSER_PASSWORD": "a-long-test-password",
    }
    env.pop("DATABASE_URL", None)
    run = {"env": env, "cwd": ROOT, "check": True, "capture_output": True}
    subprocess.run([DRAGOMAN, "seed", "--entries", "12", "--no-progress"], **run)
    subprocess.run(
        [
            DRAGOMAN,
            "createsuperuser",
            "--noinput",
            "--username",
            "editor",
            "--email",
            "editor@example.org",
        ],
        **run,
    )
    yield env
    redis_keys_delete(env["CACHE_URL"])


def entry_id(environment: dict[str, str], path: str) -> str:
    script = (
        "from wagtail.models import Page; "
        f"print(next(p.pk for p in Page.objects.all() if p.url == {path!r}))"
    )
    result = subprocess.run(
        [DRAGOMAN, "shell", "-c", script],
        env=environment,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def servers(environment):
    ports = [free_port(), free_port()]
    processes = [
        subprocess.Popen(
            [DRAGOMAN, "serve", "--port", str(port), "--workers", "1", "--no-setup"],
            env=environment,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    deadline = time.monotonic() + 180
    for base in bases:
        while Browser().get(base + "/healthz")[0] != 200:
            assert time.monotonic() < deadline, "a server did not start"
            time.sleep(0.2)
    yield bases
    for process in processes:
        process.terminate()
        process.wait(timeout=40)


def test_unpublishing_through_one_server_refreshes_the_other_within_a_second(environment, servers):
    server_a, server_b = servers
    reader = Browser()
    home = reader.get(server_b + "/")[2]
    entry_path = re.search(r'href="(/blogs/[^"/]+/[^"/]+/)"', home).group(1)
    for base in (server_a, server_b):
        for path in (entry_path, "/robots.txt"):
            # The first render of a fresh site may create default settings rows, which
            # refreshes pages; a page rendered meanwhile is not stored, the next one is.
            states = [reader.get(base + path)[1]["x-cache"] for _ in range(3)]
            assert states[-1] == "HIT"
    editor = Browser(cookies=True)
    login = editor.get(server_a + "/admin/login/")[2]
    editor.post(
        server_a + "/admin/login/",
        {
            "username": "editor",
            "password": "a-long-test-password",
            "csrfmiddlewaretoken": csrf_token(login),
        },
    )
    page_id = entry_id(environment, entry_path)
    form = editor.get(f"{server_a}/admin/pages/{page_id}/unpublish/")[2]

    status = editor.post(
        f"{server_a}/admin/pages/{page_id}/unpublish/",
        {"csrfmiddlewaretoken": csrf_token(form)},
    )
    unpublished = time.monotonic()

    assert status in (200, 302)
    while reader.get(server_b + entry_path)[0] != 404:
        assert time.monotonic() - unpublished < 1.0, "server B still serves the old page"
        time.sleep(0.01)
    assert reader.get(server_a + entry_path)[0] == 404
    assert reader.get(server_b + "/robots.txt")[1]["x-cache"] == "HIT"
