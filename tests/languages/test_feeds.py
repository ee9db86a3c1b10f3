"""Feeds of one content language: the network's and a blog's."""

import pytest

from tests.factories import BlogFactory, EntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries():
    blog = BlogFactory(slug="amman-notes")
    EntryFactory(blog=blog, title="Water in the village", language="en")
    EntryFactory(blog=blog, title="الماء في القرية", language="ar")
    EntryFactory(title="پاسخ به پرسش‌های شما", language="fa")
    return blog


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_network_language_feed_holds_only_that_languages_entries(client, entries, kind):
    response = client.get(f"/feed/ar/{kind}/")

    feed = response.content.decode()
    assert response.status_code == 200
    assert "الماء في القرية" in feed
    assert "Water in the village" not in feed
    assert "پاسخ به پرسش‌های شما" not in feed


def test_language_feed_declares_its_language(client, entries):
    rss = client.get("/feed/fa/rss/").content.decode()
    atom = client.get("/feed/fa/atom/").content.decode()

    assert "<language>fa</language>" in rss
    assert 'xml:lang="fa"' in atom


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_blog_language_feed_holds_only_that_blogs_entries_in_that_language(client, entries, kind):
    feed = client.get(f"/blogs/amman-notes/feed/en/{kind}/").content.decode()

    assert "Water in the village" in feed
    assert "الماء في القرية" not in feed
    assert "پاسخ به پرسش‌های شما" not in feed


def test_feed_of_an_unknown_language_is_not_found(client, entries):
    assert client.get("/feed/xx/rss/").status_code == 404
    assert client.get("/blogs/amman-notes/feed/xx/atom/").status_code == 404


def test_language_feeds_are_also_reachable_under_an_interface_prefix(client, entries):
    feed = client.get("/ar/feed/ar/rss/").content.decode()

    assert "الماء في القرية" in feed


def test_pages_in_a_language_point_to_the_feed_of_entries_in_that_language(client, entries):
    arabic = client.get("/ar/").content.decode()
    english = client.get("/").content.decode()

    assert 'type="application/rss+xml" hreflang="ar"' in arabic
    assert 'href="/ar/feed/ar/rss/"' in arabic
    assert 'href="/ar/feed/ar/atom/"' in arabic
    assert "/feed/en/rss/" not in english
