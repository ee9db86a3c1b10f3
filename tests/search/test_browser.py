"""The search page as a reader meets it, in Debian's headless Chromium."""

import pytest

from tests.browser import artefact_path, axe_audit
from tests.factories import EntryFactory


@pytest.mark.browser
def test_search_results_with_facets_have_no_wcag_22_aa_violation(live_server, browser_page):
    EntryFactory(title="Water diplomacy in the valley", tags=["water"])
    EntryFactory(title="Water and climate", tags=["climate"], language="fr")

    browser_page.goto(live_server.url + "/search/?q=water")
    browser_page.screenshot(path=artefact_path("search-results.png"), full_page=True)

    assert "Water diplomacy in the valley" in browser_page.inner_text("main")
    assert axe_audit(browser_page) == []


@pytest.mark.browser
def test_a_reader_searches_from_the_box_in_the_header(live_server, browser_page):
    EntryFactory(title="Consular work on a Sunday")

    browser_page.goto(live_server.url + "/tags/")
    browser_page.fill("#search-box-q", "consular")
    with browser_page.expect_navigation():
        browser_page.keyboard.press("Enter")

    assert "/search/" in browser_page.url
    assert "Consular work on a Sunday" in browser_page.inner_text("main")
