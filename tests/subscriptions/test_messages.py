"""The messages' HTML passes axe-core's WCAG 2.2 A/AA rules, left to right and right to left,
in Debian's headless Chromium."""

from __future__ import annotations

from typing import Any

import pytest

from dragoman.subscriptions import messages
from tests.browser import CHROMIUM, CHROMIUM_ARGS, axe_audit

from .conftest import confirmed


def html_of(message: Any) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return str(html)


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en", "ar"])
def test_entry_message_digest_and_confirmation_are_accessible(blog_entry, language):
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's Chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    subscriber = confirmed(f"{language}@example.org", kind="blog", value=blog_entry.blog.pk)
    subscriber.language = language
    # Rendered before the browser starts: Django refuses database calls while Playwright's
    # event loop runs in this thread.
    pages = {
        "entry": html_of(messages.entry_message(subscriber, blog_entry)),
        "digest": html_of(messages.digest_message(subscriber, [blog_entry, blog_entry])),
        "confirmation": html_of(messages.confirmation_message(subscriber)),
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            for name, html in pages.items():
                page.set_content(html)
                assert page.locator("html").get_attribute("lang") == language, name
                assert axe_audit(page) == [], name
        finally:
            browser.close()
