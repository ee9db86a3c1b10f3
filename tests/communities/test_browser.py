"""A person's whole way through a community in a real headless Chromium, without JavaScript
help: invited by email, signs in with a one-time code, opens a thread that a manager
answers, is told of the reply by email, exports their data and deletes their account."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from dragoman.communities.models import Membership, Topic

pytestmark = pytest.mark.browser

PASSWORD = "a-long-manager-password"
LINK = re.compile(r"https?://\S+/members/invitation/\S+/")
CODE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", re.M)


def sign_out(page, base: str) -> None:
    page.goto(base + "/accounts/logout/")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign Out").click()


def sign_in_with_a_code(page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/code/")
    page.locator("input[name=email]").fill(email)
    with page.expect_navigation():
        page.get_by_role("button", name="Request Code").click()
    code = CODE.search(mail.outbox[-1].body)
    assert code and mail.outbox[-1].to == [email]
    page.locator("input[name=code]").fill(code.group(1))
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm").click()


def test_invited_signed_in_by_code_thread_answered_told_exported_deleted(
    live_server, browser_page, two, settings
):
    settings.BASE_URL = live_server.url
    page, base = browser_page, live_server.url
    two.manager_a.set_password(PASSWORD)
    two.manager_a.save()

    # A manager signs in with a password and invites a newcomer by email.
    page.goto(base + "/accounts/login/")
    page.locator("input[name=login]").fill(two.manager_a.email)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign In").click()
    page.goto(base + "/members/alumni-a/manage/")
    page.get_by_label("Email address (leave empty for a shareable link)").fill(
        "newcomer@example.org"
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Invite").click()
    assert "The invitation is sent." in page.content()
    sign_out(page, base)

    # The newcomer follows the link in the email: opening it uses nothing; the button joins.
    invitation = mail.outbox[-1]
    assert invitation.to == ["newcomer@example.org"]
    link = LINK.search(invitation.body)
    assert link
    page.goto(link.group(0))
    page.get_by_label("Your name, as members will see it").fill("Nia Newcomer")
    with page.expect_navigation():
        page.get_by_role("button", name="Join").click()
    assert "Welcome to Alumni A" in page.content()

    # Signs in with a one-time code, asks to be told of replies, opens a thread.
    sign_in_with_a_code(page, base, "newcomer@example.org")
    page.goto(base + "/members/alumni-a/settings/")
    page.get_by_label("Email me when someone replies to me").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    page.goto(base + "/members/alumni-a/threads/new/")
    page.get_by_label("Title").fill("Jobs board for alumni?")
    page.get_by_label("Message").fill("Shall we share openings here? <b>bold</b>")
    with page.expect_navigation():
        page.get_by_role("button", name="Open the thread").click()
    assert page.locator("h1").inner_text() == "Jobs board for alumni?"
    assert "<b>bold</b>" in page.locator(".reply__body").inner_text()  # shown as typed
    sign_out(page, base)

    # The manager answers.
    page.goto(base + "/accounts/login/")
    page.locator("input[name=login]").fill(two.manager_a.email)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign In").click()
    topic = Topic.objects.get()
    page.goto(base + f"/members/alumni-a/threads/{topic.pk}/")
    page.get_by_label("Your reply").fill("Yes, please do.")
    with page.expect_navigation():
        page.get_by_role("button", name="Send the reply").click()
    assert "Yes, please do." in page.content()
    sign_out(page, base)

    # The newcomer is told by email.
    told = [m for m in mail.outbox if m.subject.startswith("New reply")]
    assert [m.to for m in told] == [["newcomer@example.org"]]
    assert f"/members/alumni-a/threads/{topic.pk}/" in told[0].body

    # Signs in again, exports everything, then deletes the account.
    sign_in_with_a_code(page, base, "newcomer@example.org")
    page.goto(base + "/members/account/")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download everything I wrote")).click()
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert exported["account"]["email"] == "newcomer@example.org"
    assert exported["topics"][0]["title"] == "Jobs board for alumni?"
    page.get_by_label("Type “delete” to confirm").fill("delete")
    with page.expect_navigation():
        page.get_by_role("button", name="Delete my account").click()
    assert "Your account is deleted" in page.content()
    assert not get_user_model().objects.filter(email="newcomer@example.org").exists()
    assert not Membership.objects.filter(display_name="Nia Newcomer").exists()
    # Signed out: the community is not found any more.
    response = page.goto(base + "/members/alumni-a/")
    assert response is not None and response.status == 404
