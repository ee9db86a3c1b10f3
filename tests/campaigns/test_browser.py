"""A campaign in a real headless Chromium: a reader without JavaScript sends a message, a
moderator puts it on the wall, and the pages pass WCAG 2.2 AA."""

import pytest
from django.contrib.auth.models import Group, User

from dragoman.authoring.roles import MODERATORS
from tests.browser import artefact_path, axe_audit
from tests.campaigns.conftest import campaign_create

pytestmark = pytest.mark.browser


@pytest.fixture
def campaign(transactional_db, settings):
    settings.DRAGOMAN_COMMENT_MIN_SECONDS = 1
    user = User.objects.create_user("moderator", "mod@example.org", "a-long-test-password")
    user.groups.add(Group.objects.get(name=MODERATORS))
    return campaign_create()


def test_a_message_is_sent_without_javascript_approved_and_shown_on_the_wall(
    live_server, browser, campaign
):
    reader_context = browser.new_context(java_script_enabled=False, locale="en-GB")
    reader = reader_context.new_page()
    reader.goto(live_server.url + campaign.url)
    assert axe_audit_without_javascript(browser, live_server.url + campaign.url) == []
    reader.get_by_label("Name (optional: leave it empty to stay anonymous)").fill("Amina")
    reader.get_by_label("Country (optional)").select_option("JO")
    reader.get_by_label("Your message", exact=True).fill("عيد ميلاد سعيد يا ليلى <b>free</b>")
    reader.wait_for_timeout(1200)  # a person takes longer than the minimum time
    with reader.expect_navigation():
        reader.get_by_role("button", name="Send message").click()
    assert "waits for a moderator" in reader.content()
    assert reader_context.cookies() == []

    moderator = browser.new_context(locale="en-GB").new_page()
    moderator.goto(live_server.url + "/admin/login/")
    moderator.fill("input[name=username]", "moderator")
    moderator.fill("input[name=password]", "a-long-test-password")
    with moderator.expect_navigation():
        moderator.locator("form button[type=submit]").first.click()
    moderator.goto(live_server.url + "/admin/campaigns/")
    with moderator.expect_navigation():
        moderator.get_by_role("link", name=campaign.title).click()
    assert "عيد ميلاد سعيد" in moderator.content()
    with moderator.expect_navigation():
        moderator.get_by_role("button", name="Approve").first.click()
    assert "1 message moderated." in moderator.inner_text("body")

    reader.goto(live_server.url + campaign.url)
    wall = reader.locator(".campaign-wall__messages").inner_text()
    assert "عيد ميلاد سعيد يا ليلى <b>free</b>" in wall
    assert "Amina" in wall
    with reader.expect_navigation():
        reader.get_by_role("link", name="Jordan").click()
    assert reader.get_by_role("heading", name="Messages from Jordan").is_visible()
    reader.screenshot(path=artefact_path("campaign-country.png"), full_page=True)


def axe_audit_without_javascript(browser, url):
    # axe needs JavaScript to run; the page it audits is the one readers without it get.
    page = browser.new_context(locale="en-GB").new_page()
    page.goto(url)
    page.screenshot(path=artefact_path("campaign.png"), full_page=True)
    return axe_audit(page)


@pytest.fixture
def browser(browser_page):
    return browser_page.context.browser
