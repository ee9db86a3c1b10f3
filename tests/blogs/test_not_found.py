"""Addresses that do not exist get the styled 404 page, never a 500 or Django's debug page."""

from datetime import UTC, datetime

import pytest

from tests.factories import BlogFactory, BloggerFactory, EntryFactory

from .reader import page_html, visible_text


@pytest.fixture
def network(db, settings, uncached):
    settings.DEBUG = False
    settings.DRAGOMAN_PAGE_SIZE = 2
    blogger = BloggerFactory(slug="ana-example")
    blog = BlogFactory(slug="amman-notes", bloggers=[blogger])
    for day in (1, 2, 3):
        EntryFactory(
            blog=blog,
            title=f"Entry of March {day}",
            date=datetime(2024, 3, day, 12, tzinfo=UTC),
            tags=["water"],
        )
    return blog


def assert_styled_not_found(client, url):
    response = client.get(url)

    assert response.status_code == 404, url
    page = page_html(response)
    assert visible_text(page.h1) == "Page not found", url
    assert page.select_one("nav.site-nav") is not None, url


@pytest.mark.parametrize(
    "url",
    [
        "/blogs/amman-notes/?page=3",
        "/blogs/amman-notes/?page=99999999999999999999",
        "/blogs/amman-notes/?page=two",
        "/blogs/amman-notes/?page=0",
        "/blogs/amman-notes/?page=-1",
        "/blogs/amman-notes/?page=1.5",
        "/tags/water/?page=3",
        "/tags/water/?page=last-but-one",
        "/blogs/amman-notes/tags/water/?page=9",
        "/bloggers/ana-example/?page=9",
        "/bloggers/ana-example/?page=x",
        "/archive/2024/?page=9",
        "/archive/2024/03/?page=nine",
        "/blogs/amman-notes/archive/2024/?page=9",
    ],
)
def test_a_page_number_that_does_not_exist_is_not_found(client, network, url):
    assert_styled_not_found(client, url)


@pytest.mark.parametrize(
    "url",
    [
        "/archive/2010/13/",
        "/archive/2010/00/",
        "/archive/0000/01/",
        "/archive/0000/",
        "/archive/9999/12/",
        "/archive/9999/",
        "/archive/1999/",
        "/archive/2024/04/",
        "/archive/2024/3/",
        "/archive/24/",
        "/archive/year/",
        "/blogs/amman-notes/archive/2010/13/",
        "/blogs/amman-notes/archive/0000/01/",
        "/blogs/amman-notes/archive/9999/12/",
        "/blogs/amman-notes/archive/1999/",
        "/blogs/no-such-blog/archive/2024/03/",
        "/blogs/no-such-blog/archive/2024/",
        "/blogs/no-such-blog/archive/",
    ],
)
def test_a_year_or_month_that_does_not_exist_is_not_found(client, network, url):
    assert_styled_not_found(client, url)


@pytest.mark.parametrize(
    "url",
    [
        "/tags/no-such-tag/",
        "/tags/no-such-tag/feed/rss/",
        "/tags/no-such-tag/feed/atom/",
        "/blogs/amman-notes/tags/no-such-tag/",
        "/blogs/no-such-blog/tags/water/",
        "/blogs/no-such-blog/",
        "/blogs/no-such-blog/feed/rss/",
        "/blogs/no-such-blog/feed/atom/",
        "/blogs/amman-notes/no-such-entry/",
        "/bloggers/no-such-blogger/",
        "/bloggers/no-such-blogger/feed/rss/",
        "/bloggers/no-such-blogger/feed/atom/",
        "/missions/no-such-mission/",
        "/entries/999999/",
        "/no/such/page/",
    ],
)
def test_an_unknown_tag_blog_blogger_mission_or_entry_is_not_found(client, network, url):
    assert_styled_not_found(client, url)


def test_a_tag_no_live_entry_uses_is_not_found(client, network):
    EntryFactory(blog=network, title="Not yet", tags=["drafts-only"], live=False)

    assert_styled_not_found(client, "/tags/drafts-only/")


def test_a_draft_entry_is_not_found(client, network):
    draft = EntryFactory(blog=network, title="Not ready", live=False)

    assert_styled_not_found(client, f"/blogs/amman-notes/{draft.slug}/")
    assert_styled_not_found(client, f"/entries/{draft.pk}/")


def test_existing_pages_of_the_same_kinds_are_found(client, network):
    for url in [
        "/blogs/amman-notes/?page=2",
        "/tags/water/?page=2",
        "/archive/2024/",
        "/archive/2024/03/",
        "/blogs/amman-notes/archive/2024/03/",
        "/bloggers/ana-example/",
    ]:
        assert client.get(url).status_code == 200, url
