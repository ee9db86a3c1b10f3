import pytest

from tests.browser import artefact_path, axe_audit
from tests.factories import EntryFactory


@pytest.mark.browser
@pytest.mark.parametrize("title", ["Tea with the ambassador", "Coffee with the consul"])
def test_browser_page_shows_the_live_site(live_server, browser_page, title):
    EntryFactory(title=title)

    browser_page.goto(live_server.url + "/")
    browser_page.screenshot(path=artefact_path("home.png"))

    assert title in browser_page.content()
    assert axe_audit(browser_page) == []


def test_home_page_still_renders_after_browser_tests(client, db):
    EntryFactory(title="After the browser")

    assert "After the browser" in client.get("/").content.decode()
