"""The reading site against WCAG 2.2 AA, in Debian's headless Chromium with the demo's content."""

import pytest

from tests.browser import artefact_path, axe_audit
from tests.core.demo_pages import demo_pages_build
from tests.factories import EntryFactory


@pytest.mark.browser
def test_demo_reading_pages_have_no_wcag_22_aa_violation(live_server, browser_page):
    # One demo network for all pages: building it takes seconds, auditing a page less.
    pages = {**demo_pages_build(), "not found": "/no-such-page/"}
    statuses, violations = {}, {}

    for name, path in pages.items():
        response = browser_page.goto(live_server.url + path)
        statuses[name] = response.status if response else None
        browser_page.screenshot(
            path=artefact_path(f"axe-{name.replace(' ', '-')}.png"), full_page=True
        )
        violations[name] = axe_audit(browser_page)

    assert statuses == {name: 404 if name == "not found" else 200 for name in pages}
    assert violations == {name: [] for name in pages}


@pytest.mark.browser
def test_demo_reading_pages_fit_a_320_pixel_wide_screen_without_sideways_scrolling(
    live_server, browser_page
):
    # WCAG 1.4.10 Reflow: 320 CSS pixels is a 1280-pixel window zoomed to 400 %. Each page in
    # the interface languages with the longest words (French, Russian) and right to left.
    pages = demo_pages_build()
    browser_page.set_viewport_size({"width": 320, "height": 640})
    overflowing = {}

    for language in ("", "/fr", "/ru", "/ar"):
        for name, path in pages.items():
            if path.startswith("/ar/"):
                continue  # already in a language of its own
            browser_page.goto(f"{live_server.url}{language}{path}")
            width = browser_page.evaluate("document.documentElement.scrollWidth")
            if width > 320:
                label = f"{language.strip('/') or 'en'}-{name.replace(' ', '-')}"
                browser_page.screenshot(path=artefact_path(f"reflow-{label}.png"), full_page=True)
                overflowing[f"{language}{path}"] = width

    assert overflowing == {}


@pytest.mark.browser
def test_first_tab_shows_the_skip_link_which_moves_focus_to_the_content(live_server, browser_page):
    entry = EntryFactory(title="Notes from the consular section")
    browser_page.goto(live_server.url + entry.url)

    browser_page.keyboard.press("Tab")
    skip_link = browser_page.locator(".skip-link")
    box = skip_link.bounding_box()
    browser_page.keyboard.press("Enter")

    assert skip_link.inner_text() == "Skip to content"
    assert box is not None and box["y"] >= 0
    assert browser_page.evaluate("document.activeElement.id") == "main"


@pytest.mark.browser
def test_an_entry_reads_completely_with_javascript_turned_off(live_server, browser_page):
    entry = EntryFactory(title="A visit to the harbour", summary="Ships, cranes and a new pier.")
    context = browser_page.context.browser.new_context(java_script_enabled=False)
    page = context.new_page()

    page.goto(live_server.url + entry.url)

    assert page.locator("h1").inner_text() == "A visit to the harbour"
    assert "Share this with:" in page.inner_text("main")
    context.close()
