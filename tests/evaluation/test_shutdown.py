"""A real server (`dragoman serve`, granian) stopped with SIGTERM writes what its workers
counted and had not flushed yet: nothing waits for the next batch that will never come."""

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
DRAGOMAN = Path(sys.executable).parent / "dragoman"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"

pytestmark = pytest.mark.skipif(
    shutil.which("granian", path=str(DRAGOMAN.parent)) is None,
    reason="granian is not installed",
)

FIGURES = (
    "from django.db.models import Sum; "
    "from dragoman.evaluation.models import Figure; "
    "print(Figure.objects.filter(metric='view', dimension='').aggregate(n=Sum('count'))['n'] or 0)"
)


def get(url: str) -> int:
    request = urllib.request.Request(url, headers={"User-Agent": FIREFOX})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
            return response.status
    except OSError:
        return 0  # not listening yet


@pytest.fixture
def site(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dragoman.settings",
        "DRAGOMAN_DATA_DIR": str(tmp_path),
        "DRAGOMAN_SCHEDULER": "off",
        "DRAGOMAN_LOG_LEVEL": "WARNING",
        "CACHE_URL": "locmemcache://",
        "DRAGOMAN_COUNTING": "true",
        # Never flushed while serving: only the shutdown can write these counts.
        "DRAGOMAN_COUNTING_BATCH": "1000000",
        "DRAGOMAN_COUNTING_INTERVAL": "1000000",
    }
    for name in ("DATABASE_URL", "PROMETHEUS_MULTIPROC_DIR", "DRAGOMAN_LIVE_APPLICATION"):
        env.pop(name, None)
    subprocess.run(
        [DRAGOMAN, "seed", "--entries", "3", "--no-progress", "--plain"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return env


def test_a_server_stopped_with_sigterm_writes_what_it_counted(site):
    port = free_port()
    server = subprocess.Popen(
        [DRAGOMAN, "serve", "--port", str(port), "--workers", "2", "--no-setup", "--no-live"],
        env=site,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while get(base + "/healthz") != 200:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        statuses = [get(base + "/") for _ in range(12)]

        server.send_signal(signal.SIGTERM)
        server.wait(timeout=40)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    counted = subprocess.run(
        [DRAGOMAN, "shell", "-c", FIGURES],
        env=site,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]

    assert statuses == [200] * 12
    assert server.returncode == 0, server.stderr.read().decode() if server.stderr else ""
    assert int(counted) == 12
