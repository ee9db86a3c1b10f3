"""Readers see published entries whose date has come; never drafts or future-dated ones."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import BlogFactory, BloggerFactory, EntryFactory


@pytest.fixture
def blog(db, uncached):
    blogger = BloggerFactory(slug="ana-example")
    blog = BlogFactory(slug="water-notes", bloggers=[blogger])
    now = timezone.now()
    EntryFactory(
        blog=blog, title="Published last week", date=now - timedelta(days=7), tags=["water"]
    )
    EntryFactory(
        blog=blog, title="Still a draft", date=now - timedelta(days=6), tags=["water"], live=False
    )
    EntryFactory(blog=blog, title="Dated next week", date=now + timedelta(days=7), tags=["water"])
    return blog


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/blogs/water-notes/",
        "/tags/water/",
        "/blogs/water-notes/tags/water/",
        "/bloggers/ana-example/",
    ],
)
def test_lists_show_published_entries_but_never_drafts_or_future_ones(client, blog, url):
    page = client.get(url).content.decode()

    assert "Published last week" in page
    assert "Still a draft" not in page
    assert "Dated next week" not in page


def test_archives_never_count_or_list_future_entries(client, blog):
    future = timezone.now() + timedelta(days=7)
    last_week = timezone.now() - timedelta(days=7)

    index = client.get("/archive/").content.decode()
    month = client.get(f"/archive/{last_week:%Y}/{last_week:%m}/").content.decode()

    assert "Published last week" in month
    assert "Dated next week" not in month
    if (future.year, future.month) != (last_week.year, last_week.month):
        assert f"/archive/{future:%Y}/{future:%m}/" not in index


def test_an_entry_dated_in_the_future_is_not_found_at_its_own_address_until_then(client, db):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import EntryFactory

    entry = EntryFactory(title="Tomorrow's news", date=timezone.now() + timedelta(days=1))

    assert client.get(entry.url).status_code == 404
    assert "Tomorrow" not in client.get("/sitemap.xml").content.decode()


def test_a_private_blog_is_kept_from_readers_and_lists_until_it_is_public_again(client, db):
    from wagtail.models import PageViewRestriction

    public_blog, private_blog = BlogFactory(), BlogFactory()
    # The same date: both in the archive month checked below, whichever day the run makes.
    when = timezone.now() - timedelta(days=2)
    EntryFactory(blog=public_blog, title="Open letter", tags=["water"], date=when)
    hidden = EntryFactory(blog=private_blog, title="Alumni only", tags=["water"], date=when)
    lists = ["/", "/tags/water/", f"/archive/{hidden.date:%Y/%m}/", "/feed/rss/"]
    assert client.get(hidden.url).status_code == 200
    for url in lists:  # seen, and now in the page cache
        assert "Alumni only" in client.get(url).content.decode(), url

    restriction = PageViewRestriction.objects.create(
        page=private_blog, restriction_type=PageViewRestriction.LOGIN
    )

    response = client.get(hidden.url)
    assert response.status_code == 302 and "login" in response["Location"]
    for url in lists:
        page = client.get(url).content.decode()
        assert "Alumni only" not in page and "Open letter" in page, url

    restriction.delete()

    assert client.get(hidden.url).status_code == 200
    assert "Alumni only" in client.get("/tags/water/").content.decode()
