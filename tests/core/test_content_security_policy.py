import pytest

from tests.core.demo_pages import demo_pages_build


@pytest.mark.browser
def test_demo_reading_pages_break_none_of_their_own_content_security_policy(
    live_server, browser_page
):
    # An inline style or script, or a resource from another origin, would be blocked silently
    # for readers; Chromium reports each block on the console.
    pages = demo_pages_build()
    blocked: dict[str, list[str]] = {}
    current = {"name": ""}
    browser_page.on(
        "console",
        lambda message: (
            blocked.setdefault(current["name"], []).append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )

    for name, path in pages.items():
        current["name"] = name
        browser_page.goto(live_server.url + path)
        browser_page.wait_for_load_state("load")

    assert blocked == {}
