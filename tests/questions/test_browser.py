"""A whole question session in a real headless Chromium: two readers (one page with
JavaScript, one without), a moderator and the official, with the live streams served by
granian (ASGI) beside the test server, as `dragoman serve` runs them."""

import asyncio
import threading
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User

from dragoman.questions.live import LiveApplication
from dragoman.questions.models import Question
from tests.ports import free_port

from .conftest import session_make

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password"


# How long a live event may take to reach an open page: seconds on a quiet machine, more when
# two suites share two cores (a vote once took over 5 s on PostgreSQL there).
LIVE_WAIT_MS = 20_000


@pytest.fixture
def live_streams(settings: Any, live_server: Any) -> Iterator[LiveApplication]:
    """The live application in granian's embedded server, on a thread of this process (so it
    reads the same test database as the test server), asking the test server whether a
    session is public."""
    from granian.constants import Interfaces
    from granian.server.embed import Server

    live_port = free_port()
    settings.DRAGOMAN_LIVE_PORT = live_port
    settings.DRAGOMAN_LIVE_PAGES_URL = live_server.url
    application = LiveApplication()
    server = Server(
        application, port=live_port, interface=Interfaces.ASGI, websockets=False, log_enabled=False
    )
    loop = asyncio.new_event_loop()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(server.serve())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{live_port}/live/", timeout=1)
        except urllib.error.HTTPError:
            break  # a 404: it answers
        except OSError:
            time.sleep(0.1)
    yield application
    loop.call_soon_threadsafe(server.stop)
    thread.join(10)


def sign_in(page: Any, base: str, username: str) -> None:
    page.goto(base + "/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_url("**/admin/")


def test_question_asked_approved_voted_answered_live_and_after_reload(
    live_server, browser_page, live_streams, transactional_db, settings
):
    settings.DRAGOMAN_COMMENT_MIN_SECONDS = 0
    session = session_make()
    moderator = User.objects.create_user("moderator", "m@example.org", PASSWORD)
    moderator.user_permissions.add(
        *Permission.objects.filter(codename__in=["moderate_question", "access_admin"])
    )
    official = User.objects.create_user("ambassador", "a@example.org", PASSWORD)
    official.user_permissions.add(Permission.objects.get(codename="access_admin"))
    blogger = session.officials.first().blogger
    blogger.user = official
    blogger.save()
    base = live_server.url
    browser = browser_page.context.browser

    # Reader one, with JavaScript: asks a question.
    reader = browser_page
    reader.goto(base + session.url)
    reader.get_by_label("Your question").fill("When will the new visa rules apply? <b>soon</b>")
    with reader.expect_navigation():
        reader.get_by_role("button", name="Send question").click()
    assert "Thank you for your question" in reader.content()
    reader.goto(base + session.url)
    reader.wait_for_function("document.documentElement.dataset.live === 'on'")

    # Reader two, without JavaScript, on the same page.
    plain_context = browser.new_context(java_script_enabled=False)
    plain = plain_context.new_page()
    plain.goto(base + session.url)
    assert "When will the new visa rules apply?" not in plain.content()  # not yet approved

    # The moderator approves it on the live screen, from the keyboard.
    moderator_context = browser.new_context()
    screen = moderator_context.new_page()
    sign_in(screen, base, "moderator")
    screen.goto(f"{base}/admin/questions/{session.pk}/")
    question = Question.objects.get()
    screen.locator(f"#question-{question.pk}").focus()
    with screen.expect_navigation():
        screen.keyboard.press("a")
    question.refresh_from_db()
    assert question.status == Question.Status.APPROVED
    # Reader one sees it join the waiting questions without reloading, as text.
    waiting = reader.locator(f"#waiting #question-{question.pk}")
    waiting.wait_for(timeout=LIVE_WAIT_MS)
    assert "<b>soon</b>" in waiting.inner_text()
    assert "0 votes" in waiting.inner_text()

    # Reader two votes, without JavaScript (the page reloads with the count).
    plain.reload()
    with plain.expect_navigation():
        plain.get_by_role("button", name="Vote for this question").click()
    assert "1 vote" in plain.locator(f"#question-{question.pk}").inner_text()
    # Reader one sees the vote counted without reloading.
    reader.wait_for_function(
        f"document.querySelector('#question-{question.pk} .question__votes')"
        ".textContent.trim() === '1 vote'",
        timeout=LIVE_WAIT_MS,
    )

    # The official pins it and answers from the keyboard (Ctrl+Enter sends).
    official_context = browser.new_context()
    desk = official_context.new_page()
    sign_in(desk, base, "ambassador")
    desk.goto(f"{base}/admin/questions/{session.pk}/")
    desk.locator(f"#question-{question.pk}").focus()
    with desk.expect_navigation():
        desk.keyboard.press("p")
    assert Question.objects.get().pinned
    desk.locator(f"#answer-{question.pk}").fill("From the first of March.")
    with desk.expect_navigation():
        desk.locator(f"#answer-{question.pk}").press("Control+Enter")

    # Reader one sees the answer arrive without reloading; markup stayed text.
    answer = reader.locator("#answers").get_by_text("From the first of March.")
    answer.wait_for(timeout=LIVE_WAIT_MS)
    assert reader.locator(f"#waiting #question-{question.pk}").count() == 0
    assert "<b>soon</b>" in reader.locator("#answers").inner_text()
    assert "0 questions wait" in reader.locator(".session-status").inner_text()
    # Reader two sees it after a reload.
    assert "From the first of March." not in plain.content()
    plain.reload()
    assert "From the first of March." in plain.content()
    for context in (plain_context, moderator_context, official_context):
        context.close()
