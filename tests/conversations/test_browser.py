"""The whole conversation loop in a real headless Chromium, without JavaScript help."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.utils import timezone

from tests.browser import artefact_path, axe_audit
from tests.factories import BloggerFactory, EntryFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def network(transactional_db, settings):
    settings.DRAGOMAN_COMMENT_MIN_SECONDS = 1
    entry = EntryFactory(
        title="Opening of the new consulate", date=timezone.now() - timedelta(days=1)
    )
    moderators, _created = Group.objects.get_or_create(name="Moderators")
    moderators.permissions.add(
        *Permission.objects.filter(codename__in=["moderate_comment", "access_admin"])
    )
    user = User.objects.create_user("ambassador", "jane@example.org", "a-long-test-password")
    user.groups.add(moderators)
    BloggerFactory(display_name="Jane Smith", job_title="Ambassador", user=user)
    return entry


def test_reader_comments_moderator_approves_and_answers_officially(
    live_server, browser_page, network
):
    page = browser_page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    # A reader writes under the entry; the public pages set no cookie.
    page.goto(live_server.url + network.url)
    page.get_by_label("Name").fill("Amina")
    page.get_by_label("Email (optional, never shown)").fill("amina@example.org")
    page.get_by_label("Comment", exact=True).fill(
        "When will the consulate issue visas?\n\nمرحبا — thank you <script>alert(1)</script>"
    )
    page.get_by_label("Email me when my comment is published or answered").check()
    page.wait_for_timeout(1200)  # a person takes longer than the minimum time
    with page.expect_navigation():
        page.get_by_role("button", name="Send comment").click()
    assert "Your comment awaits moderation" in page.content()
    thanks_url = page.url
    assert page.context.cookies() == []

    # The moderator approves it in the admin queue.
    page.goto(live_server.url + "/admin/login/")
    page.fill("input[name=username]", "ambassador")
    page.fill("input[name=password]", "a-long-test-password")
    with page.expect_navigation():
        page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.goto(live_server.url + "/admin/conversations/")
    assert "When will the consulate issue visas?" in page.content()
    with page.expect_navigation():
        page.get_by_role("button", name="Approve").first.click()
    artefact_path("conversation-queue.html").write_text(page.content())
    assert "1 comment moderated." in page.inner_text("body")

    # The comment appears under the entry and in "Recent comments" on the home page.
    reader = page.context.browser.new_context()
    public = reader.new_page()
    public.goto(live_server.url + network.url)
    assert (
        public.locator(".comment__body")
        .first.inner_text()
        .startswith("When will the consulate issue visas?")
    )
    public.goto(live_server.url + "/")
    assert (
        "Amina on “Opening of the new consulate”" in public.locator(".recent-comments").inner_text()
    )

    # The blogger answers officially; the reply shows, marked as such.
    page.goto(live_server.url + "/admin/conversations/?status=approved")
    page.get_by_role("link", name="Reply officially").first.click()
    page.get_by_label("Official reply").fill("From next Monday, at the new building.")
    with page.expect_navigation():
        page.get_by_role("button", name="Publish official reply").click()
    public.goto(live_server.url + network.url)
    official = public.locator(".comment--official")
    assert "Official reply from Jane Smith, Ambassador" in official.inner_text()
    assert "From next Monday, at the new building." in official.inner_text()
    public.screenshot(path=str(artefact_path("conversation-loop.png")), full_page=True)

    # The reader's private link still works and shows the comment as published.
    public.goto(thanks_url)
    assert "Your comment is published." in public.content()
    assert dialogs == []  # the <script> the reader typed never ran
    reader.close()


def test_conversation_part_of_the_entry_page_meets_wcag_aa(live_server, browser_page, network):
    browser_page.goto(live_server.url + network.url)

    violations = axe_audit(browser_page)

    ours = [v for v in violations if "comment" in v or "conversation" in v]
    artefact_path("conversation-axe.txt").write_text("\n".join(violations))
    assert ours == []


def test_policy_and_thank_you_pages_meet_wcag_aa(live_server, browser_page, network):
    page = browser_page
    page.goto(live_server.url + "/conversations/policy/")
    assert axe_audit(page) == []

    page.goto(live_server.url + network.url)
    page.get_by_label("Name").fill("Amina")
    page.get_by_label("Comment", exact=True).fill("A question about visas")
    page.wait_for_timeout(1200)
    with page.expect_navigation():
        page.get_by_role("button", name="Send comment").click()
    assert "Your comment awaits moderation" in page.inner_text("body")
    assert axe_audit(page) == []

    with page.expect_navigation():
        page.get_by_role("button", name="Withdraw my comment").click()
    assert "Your comment is withdrawn" in page.inner_text("body")


def test_form_errors_are_announced_and_keep_the_text(live_server, browser_page, network):
    page = browser_page
    page.goto(live_server.url + network.url)
    page.get_by_label("Name").fill("Amina")
    # The browser itself checks the email address; the link cap is the server's to check.
    text = "My thoughts: https://a.example https://b.example https://c.example"
    page.get_by_label("Comment", exact=True).fill(text)
    page.wait_for_timeout(1200)
    with page.expect_navigation():
        page.get_by_role("button", name="Send comment").click()

    assert "A comment may contain at most 2 links." in page.inner_text("body")
    assert page.get_by_label("Comment", exact=True).input_value() == text
    assert axe_audit(page) == []
