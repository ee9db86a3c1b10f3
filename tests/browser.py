"""Fixtures for tests that drive a real headless Chromium (Debian's) through Playwright.

Loaded as a pytest plugin (see `addopts` in pyproject.toml), so every test can ask for the
fixture `browser_page`: a fresh Playwright page in headless Chromium; the test is skipped, with
the reason, when /usr/bin/chromium (or $DRAGOMAN_CHROMIUM) is missing. Helpers to import:

- `axe_audit(page)`: runs axe-core with the WCAG 2.2 A and AA rules on the page as it is now and
  returns the violations, each as one readable line, so `assert axe_audit(page) == []` shows
  what is wrong when it fails.
- `artefact_path(name)`: where to write screenshots and other artefacts (test-output/, which git
  ignores).

Mark such tests `@pytest.mark.browser` and use pytest-django's `live_server`:

    from tests.browser import axe_audit

    @pytest.mark.browser
    def test_home_page_has_no_accessibility_violation(live_server, browser_page):
        browser_page.goto(live_server.url + "/")
        assert axe_audit(browser_page) == []
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("DRAGOMAN_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTEFACTS = Path(__file__).resolve().parent.parent / "test-output"
# The rules of WCAG 2.0, 2.1 and 2.2 at levels A and AA, as axe-core tags them.
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def artefact_path(name: str) -> Path:
    """A path under test-output/ for a screenshot or a report; the folder is created."""
    ARTEFACTS.mkdir(exist_ok=True)
    return ARTEFACTS / name


def axe_audit(page: Any, tags: list[str] | None = None) -> list[str]:
    """The axe-core violations on `page` for WCAG 2.2 A/AA, one line per rule and element."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": tags or WCAG_22_AA},
            "resultTypes": ["violations"],
        },
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        f"{', '.join(str(t) for t in node['target'])}: {node.get('failureSummary', '')}"
        for violation in results.response["violations"]
        for node in violation["nodes"]
    ]


@pytest.fixture
def browser_page(
    monkeypatch: pytest.MonkeyPatch,
    django_db_serialized_rollback: None,
) -> Iterator[Any]:
    """A Playwright page in Debian's headless Chromium, closed after the test.

    With `live_server` the test's database is emptied afterwards (a transactional test); the
    serialized rollback puts Wagtail's root page and locale back for the next test, as an
    empty database would break every page.

    A fresh browser per test: Playwright's synchronous API keeps an asyncio loop running in
    this thread while it lives, and Django refuses database calls from such a thread, so the
    loop must not outlive the test (the flag below is scoped to it by monkeypatch).
    """
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's Chromium (apt-get install chromium)")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        try:
            yield page
        finally:
            context.close()
            browser.close()
            # Database work done while Playwright ran used connections of its own (Django's
            # connections are per context); left open, they stop the test database from
            # being dropped at the end of a PostgreSQL run.
            connections.close_all()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give every transactional test (live_server, transactional_db) a serialized rollback.

    A transactional test empties the database afterwards. Without the rollback, the emptying
    also re-runs post-migrate handlers on a tree with no Wagtail root page, and the next test
    finds no root, no locale and no site; with it, Django puts the migrated rows back before
    the next transactional test. All of them must use it: a plain one in between recreates
    content types that the restore then collides with.
    """
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        marker = item.get_closest_marker("django_db")
        transactional = bool(fixtures & {"live_server", "transactional_db"}) or bool(
            marker and marker.kwargs.get("transaction")
        )
        if not transactional or (marker and "serialized_rollback" in marker.kwargs):
            continue
        kwargs = {**(marker.kwargs if marker else {}), "transaction": True}
        kwargs["serialized_rollback"] = True
        item.add_marker(pytest.mark.django_db(**kwargs), append=False)
