"""The register and the checker in a real headless Chromium: usable without JavaScript, WCAG 2.2 AA."""

import pytest

from dragoman.channels.models import Channel
from tests.browser import artefact_path, axe_audit
from tests.factories import BloggerFactory, ChannelFactory, MissionFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def register(transactional_db):
    amman = MissionFactory(
        slug="amman", name="Embassy in Amman", country="Jordan", country_code="JO"
    )
    ambassador = BloggerFactory(slug="tomas", display_name="Tomas Vellacott", mission=amman)
    ChannelFactory(platform="x", handle="dgm_amman", mission=amman, languages="ar en")
    ChannelFactory(
        platform="x",
        handle="dgm_amman_",
        mission=amman,
        status=Channel.Status.IMPERSONATION,
        note="Asks for visa fees. Not ours.",
    )
    ChannelFactory(platform="mastodon", handle="@tomas@social.example", blogger=ambassador)
    return amman


def test_a_reader_checks_an_account_with_the_form_and_javascript_off(
    live_server, browser_page, register
):
    page = browser_page
    page.context.set_extra_http_headers({})
    page.goto(live_server.url + "/channels/check/")
    page.get_by_label("Address or handle of the account").fill("https://twitter.com/DGM_Amman_")
    with page.expect_navigation():
        page.get_by_role("button", name="Check").click()

    assert page.get_by_role("heading", name="Impersonation warning").is_visible()
    assert "Asks for visa fees" in page.content()
    page.screenshot(path=artefact_path("channels-check.png"), full_page=True)
    assert axe_audit(page) == []


def test_register_filters_and_has_no_accessibility_violation(live_server, browser_page, register):
    page = browser_page
    page.goto(live_server.url + "/channels/")
    page.get_by_label("Platform").select_option("mastodon")
    with page.expect_navigation():
        page.get_by_role("button", name="Filter").click()

    assert "1 channel" in page.content()
    assert "@tomas@social.example" in page.content()
    page.screenshot(path=artefact_path("channels-register.png"), full_page=True)
    assert axe_audit(page) == []
    page.set_viewport_size({"width": 320, "height": 800})
    assert axe_audit(page) == []
    # WCAG 1.4.10: the page reflows; only the table scrolls sideways, in its own region.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
