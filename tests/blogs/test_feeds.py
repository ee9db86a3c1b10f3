"""The RSS 2.0 and Atom 1.0 feeds, read as a feed reader reads them (with feedparser)."""

import calendar
from datetime import UTC, datetime, timedelta
from html import escape

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dragoman.blogs import feeds, queries
from dragoman.blogs.models import EntryPage
from dragoman.demo.images import image_create, landscape_png
from tests.factories import BlogFactory, BloggerFactory, EntryFactory

from .reader import page_html


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(
        response.content, response_headers={"content-type": response["Content-Type"]}
    )
    assert feed.bozo == 0, f"{url}: {feed.get('bozo_exception')}"
    return feed


def timestamp(struct_time) -> int:
    return calendar.timegm(struct_time)


@pytest.fixture
def network(db, uncached):
    writer = BloggerFactory(display_name="Ana Example", slug="ana-example")
    other = BloggerFactory(display_name="Ben Sample", slug="ben-sample")
    water = BlogFactory(title="Water notes", slug="water-notes", bloggers=[writer])
    trade = BlogFactory(title="Trade notes", slug="trade-notes", bloggers=[other])
    picture = image_create(title="Dam", png=landscape_png(seed=3, width=320, height=180))
    entries = {
        "first": EntryFactory(
            blog=water,
            title="The dam opens",
            date=datetime(2024, 3, 1, 9, 30, tzinfo=UTC),
            tags=["water", "energy"],
            body=[
                ("paragraph", "<p>Thousands came to see the <b>new dam</b>.</p>"),
                ("image", {"image": picture, "alt_text": "The dam at dawn", "caption": ""}),
                ("quote", {"quote": "Water is life.", "attribution": "A farmer"}),
            ],
        ),
        "second": EntryFactory(
            blog=water,
            title="After the rains",
            date=datetime(2024, 4, 2, 15, 0, tzinfo=UTC),
            tags=["water"],
        ),
        "joint": EntryFactory(
            blog=trade,
            title="A trade fair, jointly",
            authors=[other, writer],
            date=datetime(2024, 5, 3, 8, 0, tzinfo=UTC),
            tags=["trade", "water"],
        ),
        "draft": EntryFactory(blog=water, title="Draft about water", tags=["water"], live=False),
        "future": EntryFactory(
            blog=water,
            title="Scheduled for next week",
            date=timezone.now() + timedelta(days=7),
            tags=["water"],
        ),
    }
    return entries


FEEDS = {
    "network": (("blogs:network_rss", "blogs:network_atom"), []),
    "blog": (("blogs:blog_rss", "blogs:blog_atom"), ["water-notes"]),
    "blogger": (("blogs:blogger_rss", "blogs:blogger_atom"), ["ana-example"]),
    "tag": (("blogs:tag_rss", "blogs:tag_atom"), ["water"]),
}
EXPECTED_TITLES = {
    "network": ["A trade fair, jointly", "After the rains", "The dam opens"],
    "blog": ["After the rains", "The dam opens"],
    "blogger": ["A trade fair, jointly", "After the rains", "The dam opens"],
    "tag": ["A trade fair, jointly", "After the rains", "The dam opens"],
}
ALL_FEEDS = [(scope, name, args) for scope, (names, args) in FEEDS.items() for name in names]


@pytest.mark.parametrize(("scope", "name", "args"), ALL_FEEDS)
def test_feed_parses_and_lists_the_live_entries_newest_first(client, network, scope, name, args):
    feed = parse(client, reverse(name, args=args))

    assert [item.title for item in feed.entries] == EXPECTED_TITLES[scope]
    assert feed.version in {"rss20", "atom10"}
    assert feed.feed.title


@pytest.mark.parametrize(("scope", "name", "args"), ALL_FEEDS)
def test_feed_never_shows_drafts_or_future_entries(client, network, scope, name, args):
    feed = parse(client, reverse(name, args=args))

    titles = {item.title for item in feed.entries}
    assert "Draft about water" not in titles
    assert "Scheduled for next week" not in titles


@pytest.mark.parametrize(("scope", "name", "args"), ALL_FEEDS)
def test_feed_carries_each_entrys_full_content(client, network, scope, name, args):
    feed = parse(client, reverse(name, args=args))

    first = next(item for item in feed.entries if item.title == "The dam opens")
    content = first.content[0].value
    assert "Thousands came to see the <b>new dam</b>." in content
    assert 'alt="The dam at dawn"' in content
    assert f'src="{settings.BASE_URL}/media/' in content
    assert 'src="/' not in content and ", /" not in content
    assert "Water is life." in content
    assert first.summary.startswith("A short summary")


def test_a_feeds_figure_is_one_jpeg_every_reader_shows(client, network):
    """Feed readers drop <picture> and srcset, or show the first source whatever its format."""
    feed = parse(client, reverse("blogs:network_rss"))

    content = next(i for i in feed.entries if i.title == "The dam opens").content[0].value
    figure = BeautifulSoup(content, "html.parser").find("figure")
    assert figure.find("picture") is None and figure.find("source") is None
    image = figure.find("img")
    assert image["alt"] == "The dam at dawn"
    assert image["src"].startswith(f"{settings.BASE_URL}/media/") and image["src"].endswith(".jpg")
    assert "srcset" not in image.attrs


@pytest.mark.parametrize(("scope", "name", "args"), ALL_FEEDS)
def test_feed_gives_correct_dates_authors_and_links(client, network, scope, name, args):
    feed = parse(client, reverse(name, args=args))

    for item in feed.entries:
        entry = next(e for e in network.values() if e.title == item.title)
        assert timestamp(item.published_parsed) == int(entry.date.timestamp())
        assert item.link.endswith(entry.url)
        assert item.link.startswith("http")
    joint = next((item for item in feed.entries if item.title == "A trade fair, jointly"), None)
    if joint is not None:
        assert joint.author == "Ben Sample, Ana Example"


@pytest.mark.parametrize("name", ["blogs:network_rss", "blogs:network_atom"])
def test_an_entry_keeps_its_feed_id_when_its_title_and_address_change(client, network, name):
    entry = network["second"]
    before = {item.title: item.id for item in parse(client, reverse(name)).entries}

    entry.title = "After the long rains"
    entry.slug = "after-the-long-rains"
    entry.save_revision().publish()
    after = {item.title: item.id for item in parse(client, reverse(name)).entries}

    assert "After the rains" not in after
    assert after["After the long rains"] == before["After the rains"]
    assert after["After the long rains"] == f"{settings.BASE_URL}/entries/{entry.pk}/"
    assert len(set(after.values())) == len(after)


def test_a_feed_id_leads_to_the_entry(client, network):
    entry = network["first"]

    response = client.get(f"/entries/{entry.pk}/")

    assert response.status_code == 301
    assert response["Location"] == entry.url


def test_atom_feed_gives_updated_dates_and_entry_languages(client, network):
    feed = parse(client, reverse("blogs:network_atom"))

    for item in feed.entries:
        assert item.updated_parsed is not None


def assert_discovers(page, rss: str, atom: str):
    links = {(link["type"], link["href"]) for link in page.select("link[rel=alternate][type]")}
    assert ("application/rss+xml", rss) in links
    assert ("application/atom+xml", atom) in links


def test_every_page_lets_a_reader_discover_the_network_feeds(client, network):
    for url in ["/", "/blogs/", "/bloggers/", "/tags/", "/archive/", network["first"].url]:
        page = page_html(client.get(url))
        assert_discovers(page, reverse("blogs:network_rss"), reverse("blogs:network_atom"))


def test_blog_and_entry_pages_let_a_reader_discover_the_blog_feeds(client, network):
    for url in ["/blogs/water-notes/", network["first"].url]:
        page = page_html(client.get(url))
        assert_discovers(
            page,
            reverse("blogs:blog_rss", args=["water-notes"]),
            reverse("blogs:blog_atom", args=["water-notes"]),
        )


def test_profile_lets_a_reader_discover_the_bloggers_feeds(client, network):
    page = page_html(client.get("/bloggers/ana-example/"))

    assert_discovers(
        page,
        reverse("blogs:blogger_rss", args=["ana-example"]),
        reverse("blogs:blogger_atom", args=["ana-example"]),
    )


def test_tag_page_lets_a_reader_discover_the_tags_feeds(client, network):
    page = page_html(client.get("/tags/water/"))

    assert_discovers(
        page, reverse("blogs:tag_rss", args=["water"]), reverse("blogs:tag_atom", args=["water"])
    )


def test_every_discovered_feed_parses(client, network):
    seen = set()
    for url in ["/", "/blogs/water-notes/", "/bloggers/ana-example/", "/tags/water/"]:
        for link in page_html(client.get(url)).select("link[rel=alternate][type]"):
            if link["type"] in {"application/rss+xml", "application/atom+xml"}:
                seen.add(link["href"])
    for href in seen:
        assert parse(client, href).entries, href
    assert len(seen) >= 8


def test_a_feed_writes_every_kind_of_block_as_its_template_does_in_a_feed(db, uncached):
    """The feeds write the usual blocks themselves (`feeds.feed_contents`): each must be what
    its template renders with `in_feed`, escaping and missing parts included."""
    picture = image_create(title="Dam", png=landscape_png(seed=4, width=320, height=180))
    gone = image_create(title="Gone", png=landscape_png(seed=5, width=320, height=180))
    linked = EntryFactory(title="The linked entry")
    entry = EntryFactory(
        summary='Tom & "Jerry" <summary>',
        body=[
            ("heading", {"text": "A <section> & more", "level": "h2"}),
            ("heading", {"text": "A sub-heading", "level": "h3"}),
            ("paragraph", f'<p>See <a linktype="page" id="{linked.pk}">the other</a>.</p>'),
            ("paragraph", '<p>Away: <a href="https://example.org/?a=1&amp;b=2">here</a></p>'),
            ("image", {"image": picture, "alt_text": 'A "dam" & <lake>', "caption": "At dawn"}),
            ("image", {"image": picture, "alt_text": "No caption", "caption": ""}),
            ("image", {"image": gone, "alt_text": "Deleted since", "caption": "Still captioned"}),
            ("quote", {"quote": "Water is life.\nAnd <bread>.", "attribution": "A & B"}),
            ("quote", {"quote": "Said by nobody", "attribution": ""}),
            ("video", {"url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "title": "A film"}),
        ],
    )
    gone.delete()
    entry = EntryPage.objects.get(pk=entry.pk)
    expected = f"<p>{escape(entry.summary)}</p>" + "".join(
        child.block.render(child.value, context={"in_feed": True}) for child in entry.body
    )

    [read] = queries.feed_entries(EntryPage.objects.filter(pk=entry.pk), limit=1)
    written = feeds.feed_contents([read])[entry.pk]

    assert written == expected
    assert linked.url in written and "Deleted since" not in written


def test_a_feed_shows_an_edited_linked_page_at_once(client, network):
    linked = network["second"]
    EntryFactory(
        blog=network["first"].get_parent().specific,
        title="Linking",
        date=datetime(2024, 6, 1, tzinfo=UTC),
        body=[("paragraph", f'<p>Read <a linktype="page" id="{linked.pk}">this</a>.</p>')],
    )

    def linking_content() -> str:
        feed = parse(client, reverse("blogs:network_rss"))
        return next(item for item in feed.entries if item.title == "Linking").content[0].value

    assert f'href="{settings.BASE_URL}{linked.url}"' in linking_content()
    linked.slug = "after-the-long-rains"
    linked.save_revision().publish()
    linked.refresh_from_db()

    assert linked.url.endswith("/after-the-long-rains/")
    assert f'href="{settings.BASE_URL}{linked.url}"' in linking_content()


def feed_queries(client) -> int:
    """The queries a network feed makes, on whichever database it reads."""
    captures = [CaptureQueriesContext(connections[alias]) for alias in connections]
    for capture in captures:
        capture.__enter__()
    try:
        parse(client, reverse("blogs:network_rss"))
    finally:
        for capture in captures:
            capture.__exit__(None, None, None)
    return sum(len(capture.captured_queries) for capture in captures)


def test_a_feeds_links_and_images_are_read_together_whatever_the_number_of_entries(client, network):
    """One query per kind of link and for the images, for all the bodies of a feed."""

    def add_linking_entry(number: int) -> None:
        picture = image_create(
            title=f"P{number}", png=landscape_png(seed=number, width=320, height=180)
        )
        EntryFactory(
            blog=network["first"].get_parent().specific,
            date=datetime(2024, 6, number, tzinfo=UTC),
            body=[
                ("paragraph", f'<p><a linktype="page" id="{network["second"].pk}">a</a></p>'),
                ("image", {"image": picture, "alt_text": "A picture", "caption": ""}),
            ],
        )

    add_linking_entry(1)
    parse(client, reverse("blogs:network_rss"))  # renditions made once
    one = feed_queries(client)
    for number in range(2, 6):
        add_linking_entry(number)
    parse(client, reverse("blogs:network_rss"))

    assert one > 0
    assert feed_queries(client) == one
