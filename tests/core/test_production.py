import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from tests.factories import EntryFactory

ROOT = Path(__file__).resolve().parent.parent.parent


def manage(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run manage.py in a fresh process, with only the given Dragoman variables set."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DRAGOMAN_")}
    environment.pop("DATABASE_URL", None)
    environment.update({"DRAGOMAN_DATA_DIR": str(tmp_path), **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deployment_check_with_no_warning(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        tmp_path=tmp_path,
        DRAGOMAN_ENV="production",
        DRAGOMAN_SECRET_KEY="k3" * 30 + "-a-long-random-production-secret",
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = manage("check", tmp_path=tmp_path, DRAGOMAN_ENV="production")

    assert result.returncode != 0
    assert "DRAGOMAN_SECRET_KEY must be set in production" in result.stderr


@pytest.fixture
def public_paths(db) -> dict[str, str]:
    entry = EntryFactory(title="Opening of the new library")
    return {
        "home": "/",
        "blog": entry.get_parent().url,
        "entry": entry.url,
        "feed": reverse("blogs:network_atom"),
        "not found": "/no-such-page/",
    }


def test_public_pages_send_a_content_security_policy_without_unsafe_sources(public_paths):
    client = Client()

    policies = {
        name: client.get(path).headers.get("Content-Security-Policy", "")
        for name, path in public_paths.items()
    }

    for name, policy in policies.items():
        assert "default-src 'self'" in policy, name
        assert "unsafe-inline" not in policy, name
        assert "unsafe-eval" not in policy, name


def test_public_pages_set_no_cookie(public_paths):
    client = Client()

    responses = {name: client.get(path) for name, path in public_paths.items()}

    assert {name: r.status_code for name, r in responses.items()} == {
        "home": 200,
        "blog": 200,
        "entry": 200,
        "feed": 200,
        "not found": 404,
    }
    assert {name: r.headers.get("Set-Cookie") for name, r in responses.items()} == {
        name: None for name in public_paths
    }
    assert not client.cookies


def test_page_not_found_is_our_styled_page(public_paths):
    response = Client().get(public_paths["not found"])

    page = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in page
    assert "core/site.css" in page


def test_server_error_handler_renders_our_styled_page(rf):
    handler = get_resolver().resolve_error_handler(500)

    response = handler(rf.get("/"))

    page = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in page
    assert "core/site.css" in page
    assert "Content-Security-Policy" not in page


def test_a_failing_page_shows_the_styled_server_error_page(client, settings):
    settings.ROOT_URLCONF = "tests.core.failing_urls"
    client.raise_request_exception = False

    response = client.get("/fails/")

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert "Set-Cookie" not in response.headers


def test_pages_served_again_from_the_page_cache_keep_the_policy_and_set_no_cookie(public_paths):
    client = Client()
    for path in public_paths.values():
        client.get(path)

    again = {name: client.get(path) for name, path in public_paths.items()}

    for name, response in again.items():
        assert "default-src 'self'" in response.headers.get("Content-Security-Policy", ""), name
        assert "Set-Cookie" not in response.headers, name
