"""`dragoman serve` as it runs in production: the live process it starts (without Django's
setup) asks the page server whether a session is public, and delivers an answer given in
another process to an open stream."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
DRAGOMAN = Path(sys.executable).parent / "dragoman"

pytestmark = pytest.mark.skipif(
    shutil.which("granian", path=str(DRAGOMAN.parent)) is None,
    reason="granian is not installed",
)

PREPARE = """
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.utils import timezone
from dragoman.blogs.models import BlogPage
from dragoman.questions import services
admin = get_user_model().objects.create_superuser("live", "live@example.org", "x")
blog = BlogPage.objects.order_by("pk").first()
now = timezone.now()
def make(title, publish=True):
    return services.session_create(
        parent=blog, title=title, summary="Live.", starts_at=now - timedelta(minutes=5),
        ends_at=now + timedelta(hours=1), officials=[], publish=publish,
    )
session, draft = make("Served live"), make("Not yet", publish=False)
question = services.question_approve(
    acting_user=admin, question=services.question_ask(session=session, body="Served?")
)
print(session.pk, draft.pk, question.pk)
"""

ANSWER = """
import sys
from django.contrib.auth import get_user_model
from dragoman.questions import services
from dragoman.questions.models import Question
services.question_answer(
    acting_user=get_user_model().objects.get(username="live"),
    question=Question.objects.get(pk=int(sys.argv[1])), answer="Served from another process.",
)
"""


def django_run(env: dict[str, str], code: str, *args: str) -> str:
    program = "import django; django.setup()\n" + code
    done = subprocess.run(
        [sys.executable, "-c", program, *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except OSError:
        return 0  # not listening yet


def stream_open(port: int, page_id: int) -> socket.socket:
    stream = socket.create_connection(("127.0.0.1", port), timeout=30)
    stream.sendall(
        f"GET /live/questions/{page_id}/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Accept: text/event-stream\r\n\r\n".encode()
    )
    return stream


def read_until(stream: socket.socket, text: bytes, seconds: float = 60) -> bytes:
    received = b""
    deadline = time.monotonic() + seconds
    while text not in received and time.monotonic() < deadline:
        chunk = stream.recv(65536)
        if not chunk:
            break
        received += chunk
    return received


def test_served_live_process_follows_public_sessions_only(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dragoman.settings",
        "DRAGOMAN_DATA_DIR": str(tmp_path),
        "DRAGOMAN_SCHEDULER": "off",
        "DRAGOMAN_LOG_LEVEL": "WARNING",
        "CACHE_URL": "locmemcache://",
    }
    for name in ("DATABASE_URL", "PROMETHEUS_MULTIPROC_DIR", "DRAGOMAN_LIVE_REDIS_URL"):
        env.pop(name, None)
    subprocess.run(
        [DRAGOMAN, "seed", "--entries", "3", "--no-progress", "--plain"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    session, draft, question = django_run(env, PREPARE).split()[-3:]
    port, live_port = free_port(), free_port()
    server = subprocess.Popen(
        [DRAGOMAN, "serve", "--port", str(port), "--live-port", str(live_port), "--no-setup"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 300
        while status_of(f"http://127.0.0.1:{live_port}/live/") != 404:
            assert server.poll() is None, f"dragoman serve ended with {server.returncode}"
            assert time.monotonic() < deadline, "the live server did not start"
            time.sleep(0.5)
        while status_of(f"http://127.0.0.1:{port}/healthz") != 200:
            assert time.monotonic() < deadline, "the page server did not start"
            time.sleep(0.5)

        refused = stream_open(live_port, int(draft))
        assert read_until(refused, b"\r\n").startswith(b"HTTP/1.1 404")
        refused.close()

        stream = stream_open(live_port, int(session))
        opened = read_until(stream, b"retry:")
        django_run(env, ANSWER, question)
        received = opened + read_until(stream, b"Served from another process.")
        stream.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    assert received.startswith(b"HTTP/1.1 200")
    assert b"event: answered" in received
    assert b"Served from another process." in received
