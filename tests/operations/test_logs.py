"""Structured logs: JSON lines with the request's id, and nothing personal."""

from __future__ import annotations

import json

from dragoman.operations import logs
from tests.operations.sites import python, site_env

REQUEST = r"""
import logging, sys
import django
django.setup()
from django.test import Client
logging.getLogger("dragoman.probe").warning("outside any request")
Client().get(
    "/no-such-page/?email=reader%40example.org", HTTP_HOST="127.0.0.1",
    REMOTE_ADDR="198.51.100.23", HTTP_X_REQUEST_ID=sys.argv[1],
)
"""


def log_lines(tmp_path, request_id: str, **env: str) -> list[str]:
    environment = site_env(tmp_path / "site", DRAGOMAN_LOG_LEVEL="INFO", **env)
    import subprocess
    import sys

    from tests.operations.sites import ROOT

    result = subprocess.run(
        [sys.executable, "-c", REQUEST, request_id],
        env={**environment, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    # Python's own warnings (a missing static folder) are not log records: only these are.
    return [line for line in result.stderr.splitlines() if line.startswith("{")]


def test_json_lines_carry_the_front_server_s_request_id_and_no_personal_data(tmp_path):
    (tmp_path / "site").mkdir()
    python(
        site_env(tmp_path / "site"),
        "import django; django.setup(); "
        "from django.core.management import call_command; call_command('migrate', verbosity=0)",
    )

    lines = log_lines(
        tmp_path,
        "0123456789abcdef0123456789abcdef",
        DRAGOMAN_LOG_FORMAT="json",
        DRAGOMAN_ACCESS_LOG="true",
    )

    records = [json.loads(line) for line in lines]  # every record is one JSON object
    outside = next(r for r in records if r["message"] == "outside any request")
    assert outside["request_id"] == ""
    in_request = [r for r in records if r["request_id"] == "0123456789abcdef0123456789abcdef"]
    loggers = {r["logger"] for r in in_request}
    assert "dragoman.access" in loggers
    access = next(r for r in in_request if r["logger"] == "dragoman.access")
    assert access["status"] == 404
    assert access["route"] == "wagtail_serve"  # the catch-all pattern, never the path
    assert {"time", "level"} <= set(access)
    text = "\n".join(lines)
    assert "198.51.100.23" not in text
    assert "example.org" not in text and "email" not in text


def test_a_malformed_request_id_is_replaced_by_a_new_one(tmp_path):
    (tmp_path / "site").mkdir()
    python(
        site_env(tmp_path / "site"),
        "import django; django.setup(); "
        "from django.core.management import call_command; call_command('migrate', verbosity=0)",
    )

    lines = log_lines(
        tmp_path, "bad id\nwith a newline", DRAGOMAN_LOG_FORMAT="json", DRAGOMAN_ACCESS_LOG="true"
    )

    records = [json.loads(line) for line in lines]
    not_found = next(r for r in records if r["logger"] == "dragoman.access")
    assert len(not_found["request_id"]) == 32
    assert "newline" not in "\n".join(lines)


def test_request_ids_are_kept_only_when_well_formed():
    assert logs.request_id_from("req-2026.12.06:abc") == "req-2026.12.06:abc"
    assert logs.request_id_from("short") != "short"
    assert logs.request_id_from("x" * 200) != "x" * 200
    assert logs.request_id_from(None)
