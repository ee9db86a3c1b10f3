import urllib.request

import pytest

from tests.browser import artefact_path, axe_audit
from tests.factories import EntryFactory


@pytest.mark.browser
@pytest.mark.parametrize("title", ["Tea with the ambassador", "Coffee with the consul"])
def test_browser_page_shows_the_live_site_again_and_again(live_server, browser_page, title):
    EntryFactory(title=title)

    browser_page.goto(live_server.url + "/")
    browser_page.screenshot(path=artefact_path("home.png"))

    assert title in browser_page.content()
    assert axe_audit(browser_page) == []


def test_a_live_server_test_after_browser_tests_still_finds_the_network(live_server):
    # Runs after the tests above (pytest-django keeps file order among transactional tests):
    # their emptied database must have been restored, root page and site included.
    EntryFactory(title="Lunch with the attaché")

    with urllib.request.urlopen(live_server.url + "/") as response:
        page = response.read().decode()

    assert "Lunch with the attaché" in page
