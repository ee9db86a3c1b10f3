"""Well-known XSS and injection payloads, posted as comments, render as inert text."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.cache import cache

from dragoman.conversations.models import Comment
from dragoman.conversations.services import comments_moderate

from .conftest import post_comment

PAYLOADS = [
    line
    for line in (Path(__file__).parent / "xss_payloads.txt").read_text().splitlines()
    if line.strip() and not line.startswith("# ")
]
SAFE_SCHEMES = ("http://", "https://")
# An attribute such as onerror= or onload= inside a real tag (not escaped text).
EVENT_HANDLER = re.compile(r"<[a-z][^<>]*\son[a-z]+\s*=")


class CommentBodies(HTMLParser):
    """Collects every tag and attribute inside the comment bodies of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.tags.append((tag, attrs))
            if tag not in {"br"}:
                self.depth += 1
        elif tag == "div" and ("class", "comment__body") in attrs:
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1


def test_the_list_holds_at_least_fifty_payloads():
    assert len(PAYLOADS) >= 50


@pytest.fixture
def published_payloads(client, entry, admin_user, settings):
    settings.DRAGOMAN_COMMENT_MAX_LINKS = 100
    for number, payload in enumerate(PAYLOADS):
        cache.clear()  # the rate limit is not what this test is about
        # Numbered, since some payloads differ only in case (duplicate detection ignores case).
        response = post_comment(client, entry, body=f"{number} {payload}")
        assert response.status_code == 302, payload
    comments_moderate(comments=Comment.objects.all(), action="approve", acting_user=admin_user)
    return entry


def test_every_payload_is_stored_as_the_reader_typed_it(published_payloads):
    assert sorted(Comment.objects.values_list("body", flat=True)) == sorted(
        f"{number} {payload}".strip() for number, payload in enumerate(PAYLOADS)
    )


def test_payloads_render_as_text_with_only_paragraphs_and_safe_links(client, published_payloads):
    page = client.get(published_payloads.url).content.decode()
    parser = CommentBodies()
    parser.feed(page)

    assert len(page.split('class="comment__body"')) - 1 == len(PAYLOADS)
    for tag, attrs in parser.tags:
        assert tag in {"p", "br", "a"}, tag
        names = {name for name, _value in attrs}
        if tag == "a":
            assert names == {"href", "rel"}
            href = dict(attrs)["href"] or ""
            assert href.startswith(SAFE_SCHEMES), href
            assert dict(attrs)["rel"] == "nofollow ugc noopener"
        elif tag == "p":
            assert attrs == [("dir", "auto")]
        else:
            assert names == set()


def test_no_payload_adds_a_script_or_event_handler_anywhere_on_the_page(client, published_payloads):
    page = client.get(published_payloads.url).content.decode().lower()

    assert "<script" not in page.replace('<script type="application/ld+json">', "")
    assert not EVENT_HANDLER.search(page)
    for tag in ("<img", "<svg", "<iframe", "<style", "<object", "<embed", "<meta http-equiv"):
        assert tag not in page


def test_payloads_in_recent_comments_and_the_feed_are_inert(client, published_payloads):
    home = client.get("/").content.decode().lower()
    feed = client.get(f"/conversations/entries/{published_payloads.pk}/feed/atom/").content.decode()

    assert "<script" not in home.replace('<script type="application/ld+json">', "")
    assert not EVENT_HANDLER.search(home)
    assert "<script" not in feed.lower()
    # Atom carries the comment's HTML escaped, and the payload is escaped within it.
    assert "&amp;lt;script" in feed.lower()
