"""The metrics: requests by route, page-cache answers, and sums over several processes."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from prometheus_client import REGISTRY
from prometheus_client.mmap_dict import MmapedDict

from tests.operations.sites import (
    DRAGOMAN,
    ROOT,
    port_open,
    python,
    site_copy,
    site_env,
)
from tests.ports import free_port


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.mark.django_db
def test_requests_are_counted_by_route_name_and_cache_answers_by_result(client):
    before_requests = sample(
        "dragoman_http_requests_total", route="robots_txt", method="GET", status="200"
    )
    before_latency = sample("dragoman_http_request_duration_seconds_count", route="robots_txt")
    before = {
        result: sample("dragoman_page_cache_total", result=result) for result in ("hit", "miss")
    }

    first = client.get("/robots.txt")
    second = client.get("/robots.txt")

    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    # The miss reached Django and was counted under its route's name; the hit did not.
    assert (
        sample("dragoman_http_requests_total", route="robots_txt", method="GET", status="200")
        == before_requests + 1
    )
    assert (
        sample("dragoman_http_request_duration_seconds_count", route="robots_txt")
        == before_latency + 1
    )
    assert sample("dragoman_page_cache_total", result="miss") == before["miss"] + 1
    assert sample("dragoman_page_cache_total", result="hit") == before["hit"] + 1


@pytest.mark.django_db
def test_an_unknown_address_is_counted_as_unmatched_not_by_its_path(client):
    client.get("/no-such-page-with-a-reader-s-words/")

    text = client.get("/metrics").content.decode()

    assert "no-such-page" not in text


REQUESTS = r"""
import sys
import django
django.setup()
from django.test import Client
client = Client()
for _ in range(int(sys.argv[1])):
    assert client.get("/robots.txt", HTTP_HOST="127.0.0.1").status_code == 200
"""
SCRAPE = r"""
import django
django.setup()
from django.test import Client
print(Client().get("/metrics", HTTP_HOST="127.0.0.1", REMOTE_ADDR="127.0.0.1").content.decode())
"""


def value_in(text: str, line_start: str) -> float:
    for line in text.splitlines():
        if line.startswith(line_start):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_are_summed_over_processes_sharing_the_folder(built_site, tmp_path):
    site = site_copy(built_site, tmp_path / "site")
    folder = tmp_path / "metrics"
    folder.mkdir()
    env = site_env(site, PROMETHEUS_MULTIPROC_DIR=str(folder))

    python(env, REQUESTS, "3")
    python(env, REQUESTS, "4")
    text = python(env, SCRAPE)

    robots = 'dragoman_page_cache_total{result="hit"}'
    assert value_in(text, robots) == 5  # 2 and 3 hits after each process's first miss
    assert value_in(text, 'dragoman_page_cache_total{result="miss"}') == 2
    assert len(list(folder.glob("counter_*.db"))) >= 3  # one file per process


def page_cache_answers_per_process(folder: Path) -> dict[str, float]:
    """Each server process's own count of page-cache answers, read from its file."""
    answers = {}
    for path in folder.glob("counter_*.db"):
        answers[path.stem.rsplit("_", 1)[1]] = sum(
            value
            for key, value, *_ in MmapedDict.read_all_values_from_file(str(path))
            if json.loads(key)[1] == "dragoman_page_cache_total"
        )
    return answers


def server_wait(server: subprocess.Popen, port: int, folder: Path, workers: int) -> None:
    """Until the port is open and every worker has loaded the site (each makes its metrics file
    as it starts). Starting takes long on a busy machine: `serve` imports the site, then each
    worker does (56 s for two at load 20 on two cores), so wait minutes, not seconds."""
    deadline = time.monotonic() + 300
    while not (port_open(port) and len(list(folder.glob("counter_*.db"))) >= workers):
        if server.poll() is not None:
            raise AssertionError(f"dragoman serve ended with {server.returncode}")
        if time.monotonic() > deadline:
            raise AssertionError("the server's workers did not start in 300 s")
        time.sleep(0.2)


def test_a_served_site_with_two_workers_reports_every_request(built_site, tmp_path):
    site = site_copy(built_site, tmp_path / "site")
    port = free_port()
    folder = site / "metrics"  # serve's default, $DRAGOMAN_DATA_DIR/metrics, emptied at start
    server = subprocess.Popen(
        [str(DRAGOMAN), "serve", "--port", str(port), "--workers", "2", "--no-setup", "--no-live"],
        env=site_env(site),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        server_wait(server, port, folder, workers=2)
        base = f"http://127.0.0.1:{port}"
        sent = 0
        # A new connection each, which the kernel gives to either worker, unevenly: ask until
        # both have answered some (40 at least), so that the scrape has two counts to sum.
        while sent < 40 or (min(page_cache_answers_per_process(folder).values()) == 0):
            assert sent < 1000, page_cache_answers_per_process(folder)
            with urllib.request.urlopen(base + "/robots.txt", timeout=120) as response:
                assert response.status == 200
            sent += 1
        per_process = page_cache_answers_per_process(folder)
        with urllib.request.urlopen(base + "/metrics", timeout=120) as response:
            text = response.read().decode()
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    assert len(per_process) == 2 and all(answers > 0 for answers in per_process.values())
    # Each worker's first request was a miss (each keeps its own local-memory cache), then hits;
    # the scrape, answered by one worker, sums both.
    assert value_in(text, 'dragoman_page_cache_total{result="miss"}') == 2
    assert value_in(text, 'dragoman_page_cache_total{result="hit"}') == sent - 2
    assert sum(per_process.values()) == sent


def test_the_metrics_watch_served_pages_only_while_the_page_cache_is_on(settings):
    """Without the page cache there is no answer to count, and a watcher would make every
    render work out what the page shows (the evaluation's counting needs that; metrics not)."""
    from django.apps import apps

    from dragoman.operations import metrics
    from dragoman.publishing import served

    config = apps.get_app_config("operations")
    try:
        served.unwatch(metrics.page_served)
        settings.DRAGOMAN_PAGE_CACHE = False
        config.ready()
        assert metrics.page_served not in served.watchers
        settings.DRAGOMAN_PAGE_CACHE = True
        config.ready()
        assert metrics.page_served in served.watchers
    finally:
        served.watch(metrics.page_served)
