"""Every page of the reading site, rendered for the demo network as a reader sees it."""

import json
import re
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from dragoman.blogs import queries
from dragoman.blogs.models import (
    BlogBestBit,
    Blogger,
    BlogPage,
    EntryPage,
    HomePage,
    NetworkBestBit,
)
from dragoman.blogs.sitemaps import NetworkSitemap
from dragoman.missions.models import Mission

from .reader import page_html, visible_text

pytestmark = pytest.mark.usefixtures("demo_network", "db", "uncached")

SHARE_HOSTS = {
    "X": "https://x.com/",
    "Facebook": "https://www.facebook.com/",
    "LinkedIn": "https://www.linkedin.com/",
    "WhatsApp": "https://wa.me/",
    "Telegram": "https://t.me/",
    "Email": "mailto:",
    "Mastodon": "https://",
}


def newest_entries():
    return (
        EntryPage.objects.live().public().filter(date__lte=timezone.now()).order_by("-date", "-pk")
    )


def entry_with(block_type: str) -> EntryPage:
    """A live demo entry whose body has this kind of block."""
    for entry in newest_entries():
        if any(block.block_type == block_type for block in entry.body):
            return entry
    raise AssertionError(f"the demo has no entry with a {block_type} block")


def card_titles(page) -> list[str]:
    return [visible_text(title) for title in page.select(".entry-list .entry-card__title")]


# Home --------------------------------------------------------------------------------------


def test_home_shows_the_latest_entries_newest_first(client):
    page = page_html(client.get("/"))

    expected = [entry.title for entry in newest_entries()[: settings.DRAGOMAN_PAGE_SIZE]]
    assert card_titles(page) == expected
    assert visible_text(page.h1) == settings.SITE_NAME


def test_home_shows_the_network_best_bits_in_the_curated_order(client):
    page = page_html(client.get("/"))

    home = HomePage.objects.get()
    curated = [
        bit.entry.title for bit in NetworkBestBit.objects.filter(page=home).order_by("sort_order")
    ]
    assert len(curated) >= 3
    assert [visible_text(item) for item in page.select(".best-bits li")] == curated


def test_home_tag_cloud_shows_at_least_four_visibly_different_weights(client):
    page = page_html(client.get("/"))

    weights = {
        css_class
        for tag in page.select(".tag-cloud__tag")
        for css_class in tag["class"]
        if css_class.startswith("tag-cloud__tag--")
    }
    stylesheet = finders.find("core/site.css")
    with open(stylesheet, encoding="utf-8") as css:
        sizes = dict(re.findall(r"\.(tag-cloud__tag--\d)\s*\{\s*font-size:\s*([^;]+);", css.read()))
    assert len({sizes[weight] for weight in weights}) >= 4


def test_home_groups_bloggers_by_country_then_mission(client):
    page = page_html(client.get("/"))

    directory = page.select_one(".directory")
    countries = [visible_text(heading) for heading in directory.select(".directory__heading")]
    assert "Jordan" in countries and "Kenya" in countries
    jordan = next(
        section
        for section in directory.select(".directory__country")
        if visible_text(section.select_one(".directory__heading")) == "Jordan"
    )
    assert "Embassy in Amman" in visible_text(jordan)
    assert "Tomas Vellacott" in visible_text(jordan)


def test_home_has_a_search_box(client):
    page = page_html(client.get("/"))

    assert page.select_one("form input[type=search]") is not None


# Blogs -------------------------------------------------------------------------------------


def test_blog_index_lists_every_live_blog(client):
    page = page_html(client.get("/blogs/"))

    titles = {visible_text(link) for link in page.select(".blog-list__title")}
    assert titles == set(BlogPage.objects.live().public().values_list("title", flat=True))


def test_blog_page_shows_its_description_top_image_and_newest_entries(client):
    blog = BlogPage.objects.live().public().order_by("pk").first()

    page = page_html(client.get(blog.url))

    assert visible_text(page.h1) == blog.title
    assert blog.description in visible_text(page)
    assert page.select_one("img.blog-header__image") is not None
    entries = newest_entries().child_of(blog)[: settings.DRAGOMAN_PAGE_SIZE]
    assert card_titles(page) == [entry.title for entry in entries]


def test_blog_page_is_paginated(client, settings):
    settings.DRAGOMAN_PAGE_SIZE = 3
    blog = max(
        BlogPage.objects.live().public(),
        key=lambda blog: EntryPage.objects.child_of(blog).live().count(),
    )
    all_entries = [entry.title for entry in newest_entries().child_of(blog)]
    assert len(all_entries) > 6, "the blog has at least three pages"

    second = page_html(client.get(blog.url, {"page": 2}))

    assert card_titles(second) == all_entries[3:6]
    assert "Page 2 of" in visible_text(second.select_one(".pagination"))
    assert second.select_one(".pagination a[rel=next]")["href"] == "?page=3"
    canonical = second.select_one("link[rel=canonical]")["href"]
    assert canonical == f"{settings.BASE_URL}{blog.url}?page=2"


def test_blog_page_shows_its_tag_cloud_archive_and_best_bits(client):
    blog = BlogPage.objects.live().public().order_by("pk").first()

    page = page_html(client.get(blog.url))

    tag_links = [link["href"] for link in page.select(".tag-cloud__tag")]
    assert tag_links and all(link.startswith(f"/blogs/{blog.slug}/tags/") for link in tag_links)
    archive_links = [link["href"] for link in page.select(".archive-months a")]
    assert archive_links and all(
        link.startswith(f"/blogs/{blog.slug}/archive/") for link in archive_links
    )
    curated = [
        bit.entry.title for bit in BlogBestBit.objects.filter(page=blog).order_by("sort_order")
    ]
    assert [visible_text(item) for item in page.select(".best-bits li")] == curated


# Entries -----------------------------------------------------------------------------------


def test_entry_page_shows_title_byline_summary_and_body(client):
    entry = entry_with("paragraph")

    page = page_html(client.get(entry.url))

    article = page.select_one("article.entry")
    assert visible_text(article.h1) == entry.title
    byline = visible_text(article.select_one(".byline"))
    assert byline.startswith("Posted ")
    assert byline.endswith(" and ".join(a.display_name for a in entry.authors)) or all(
        author.display_name in byline for author in entry.authors
    )
    assert article.select_one(".byline time")["datetime"].startswith(entry.date.date().isoformat())
    assert entry.summary in visible_text(article)
    first_paragraph = next(block for block in entry.body if block.block_type == "paragraph")
    assert visible_text(page_html_fragment(str(first_paragraph.value))) in visible_text(article)


def page_html_fragment(markup: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(markup, "html.parser")


def test_entry_page_shows_images_with_their_alt_text(client):
    entry = entry_with("image")
    figure = next(block for block in entry.body if block.block_type == "image")

    page = page_html(client.get(entry.url))

    image = page.select_one(".entry__body img")
    assert image["alt"] == figure.value["alt_text"]


def test_entry_page_shows_quotes(client):
    entry = entry_with("quote")
    quote = next(block for block in entry.body if block.block_type == "quote")

    page = page_html(client.get(entry.url))

    assert quote.value["quote"] in visible_text(page.select_one(".entry__body blockquote"))


def test_entry_page_links_to_its_video_without_embedding_a_player(client):
    entry = entry_with("video")

    page = page_html(client.get(entry.url))

    link = page.select_one(".entry__body a.video__link")
    assert link["href"].startswith("https://www.youtube.com/watch?v=")
    assert page.select_one("iframe") is None


def test_entry_page_lists_its_tags_and_links_each_to_its_page(client):
    entry = newest_entries().filter(tagged_items__isnull=False).distinct().first()

    page = page_html(client.get(entry.url))

    links = {visible_text(a): a["href"] for a in page.select(".entry__tags a")}
    assert set(links) == {tag.name for tag in entry.tags.all()}
    for tag in entry.tags.all():
        assert links[tag.name] == reverse("blogs:tag_detail", args=[tag.slug])


def test_entry_page_has_an_author_box_linking_to_each_profile(client):
    entry = newest_entries().first()

    page = page_html(client.get(entry.url))

    boxes = page.select(".author-box")
    assert [visible_text(box.select_one(".author-box__name")) for box in boxes] == [
        author.display_name for author in entry.authors
    ]
    assert boxes[0].select_one(".author-box__name a")["href"] == entry.authors[0].get_absolute_url()


def test_entry_page_links_to_the_previous_and_next_entries_of_its_blog(client):
    blog = BlogPage.objects.live().public().order_by("pk").first()
    entries = list(newest_entries().child_of(blog))
    newer, entry, older = entries[0], entries[1], entries[2]

    page = page_html(client.get(entry.url))

    assert page.select_one("a[rel=prev]")["href"] == older.url
    assert page.select_one("a[rel=next]")["href"] == newer.url


def test_entry_page_offers_plain_share_links(client):
    entry = newest_entries().first()

    page = page_html(client.get(entry.url))

    share = page.select_one(".share")
    assert visible_text(share.h2) == "Share this with:"
    # Each link goes through our own redirect (counted by the evaluation), which sends the
    # reader on to the network with nothing added.
    addresses = {visible_text(a): a["href"] for a in share.select("a")}
    assert all(address.startswith("/share/") for address in addresses.values())
    links = {label: client.get(address)["Location"] for label, address in addresses.items()}
    for label, start in SHARE_HOSTS.items():
        assert links[label].startswith(start), label
    assert "mastodon" in links["Mastodon"]
    assert all(
        entry.full_url.split("://")[1] in link.replace("%2F", "/").replace("%3A", ":")
        for link in links.values()
    )
    assert not page.select("script[src]")
    assert not page.select("iframe")


def test_right_to_left_entry_carries_its_language_and_direction(client):
    entry = newest_entries().filter(language="ar").first()

    page = page_html(client.get(entry.url))

    article = page.select_one("article.entry")
    assert article["lang"] == "ar"
    assert article["dir"] == "rtl"


# What shared links and search engines read -------------------------------------------------


def test_entry_page_has_canonical_opengraph_and_twitter_metadata(client):
    entry = entry_with("image")

    page = page_html(client.get(entry.url))

    canonical = page.select_one("link[rel=canonical]")["href"]
    assert canonical == settings.BASE_URL + entry.url
    meta = {
        tag.get("property") or tag.get("name"): tag["content"]
        for tag in page.select("meta[content]")
    }
    assert meta["og:title"] == entry.title
    assert meta["og:type"] == "article"
    assert meta["og:url"] == canonical
    assert meta["og:description"] == entry.summary
    assert meta["og:image"].startswith("http")
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["twitter:title"] == entry.title


def test_entry_page_describes_itself_as_a_schema_org_blog_posting(client):
    entry = entry_with("image")

    page = page_html(client.get(entry.url))

    data = json.loads(page.select_one("script[type='application/ld+json']").string)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == entry.title
    assert data["description"] == entry.summary
    assert data["inLanguage"] == entry.language
    assert data["datePublished"] == entry.date.isoformat()
    assert data["url"] == settings.BASE_URL + entry.url
    assert [author["name"] for author in data["author"]] == [a.display_name for a in entry.authors]
    assert data["author"][0]["url"] == settings.BASE_URL + entry.authors[0].get_absolute_url()
    assert data["isPartOf"]["@type"] == "Blog"
    assert sorted(data["keywords"]) == sorted(tag.name for tag in entry.tags.all())
    assert data["image"].startswith("http")
    assert data["publisher"]["name"] == settings.SITE_NAME


@pytest.mark.parametrize("path", ["/", "/blogs/", "/bloggers/", "/tags/", "/archive/"])
def test_every_page_names_its_canonical_address_and_the_network_feeds(client, path):
    page = page_html(client.get(path))

    assert page.select_one("link[rel=canonical]")["href"] == settings.BASE_URL + path
    feeds = {link["type"]: link["href"] for link in page.select("link[rel=alternate][type]")}
    assert feeds["application/rss+xml"] == reverse("blogs:network_rss")
    assert feeds["application/atom+xml"] == reverse("blogs:network_atom")


def test_sitemap_lists_the_home_blogs_and_entries(client):
    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    tree = ElementTree.fromstring(response.content)
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = {element.text for element in tree.findall("s:url/s:loc", namespace)}
    entry = newest_entries().first()
    blog = BlogPage.objects.live().public().first()
    assert any(location.endswith(entry.url) for location in locations)
    assert any(location.endswith(blog.url) for location in locations)
    assert len(locations) >= EntryPage.objects.live().public().count()


def test_a_large_sitemap_is_an_index_of_parts_that_together_list_every_page(client, monkeypatch):
    monkeypatch.setattr(NetworkSitemap, "limit", 25)
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}

    index = ElementTree.fromstring(client.get("/sitemap.xml").content)

    parts = [element.text for element in index.findall("s:sitemap/s:loc", namespace)]
    assert len(parts) == -(-Page.objects.live().public().filter(depth__gte=2).count() // 25) >= 3
    locations = []
    for part in parts:
        response = client.get(part.removeprefix("http://testserver"))
        assert response.status_code == 200, part
        tree = ElementTree.fromstring(response.content)
        locations += [element.text for element in tree.findall("s:url/s:loc", namespace)]
    assert len(locations) == len(set(locations)) >= EntryPage.objects.live().public().count()


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert f"Sitemap: {settings.BASE_URL}/sitemap.xml" in response.content.decode()


# Bloggers and missions ---------------------------------------------------------------------


def test_profile_shows_the_blogger_and_their_entries(client):
    blogger = Blogger.objects.get(slug="tomas-vellacott")

    page = page_html(client.get(blogger.get_absolute_url()))

    assert visible_text(page.h1) == blogger.display_name
    assert blogger.job_title in visible_text(page.select_one(".profile__role"))
    assert blogger.bio in visible_text(page)
    expected = [
        entry.title
        for entry in newest_entries().filter(entry_authors__blogger=blogger)[
            : settings.DRAGOMAN_PAGE_SIZE
        ]
    ]
    assert expected and card_titles(page) == expected


def test_bloggers_directory_groups_everyone_by_country_and_mission(client):
    page = page_html(client.get("/bloggers/"))

    directory = visible_text(page.select_one(".directory"))
    for blogger in Blogger.objects.filter(blogs__live=True).distinct().select_related("mission"):
        assert blogger.display_name in directory
        assert blogger.mission.country in directory
        assert blogger.mission.name in directory


def test_mission_page_shows_its_blogs_and_bloggers(client):
    mission = Mission.objects.get(slug="amman")

    page = visible_text(page_html(client.get(mission.get_absolute_url())))

    assert "Embassy in Amman" in page
    for blog in BlogPage.objects.live().public().filter(mission=mission):
        assert blog.title in page
    for blogger in mission.bloggers.all():
        assert blogger.display_name in page


# Tags and archives -------------------------------------------------------------------------


def test_tag_index_lists_every_tag_in_use(client):
    page = page_html(client.get("/tags/"))

    shown = {link["href"] for link in page.select(".tag-cloud__tag")}
    assert {f"/tags/{tag.slug}/" for tag in queries.tag_cloud(limit=500)} == shown


def test_tag_page_shows_the_entries_with_that_tag(client):
    tag = queries.tag_cloud()[0]

    page = page_html(client.get(reverse("blogs:tag_detail", args=[tag.slug])))

    expected = [
        entry.title for entry in newest_entries().tagged(tag.slug)[: settings.DRAGOMAN_PAGE_SIZE]
    ]
    assert card_titles(page) == expected
    assert tag.name in visible_text(page.h1)


def test_blog_tag_page_shows_only_that_blogs_entries(client):
    blog = BlogPage.objects.live().public().order_by("pk").first()
    tag = queries.tag_cloud(blog=blog)[0]

    page = page_html(client.get(reverse("blogs:blog_tag_detail", args=[blog.slug, tag.slug])))

    expected = [entry.title for entry in newest_entries().child_of(blog).tagged(tag.slug)][
        : settings.DRAGOMAN_PAGE_SIZE
    ]
    assert card_titles(page) == expected


def test_archive_index_lists_every_month_with_entries(client):
    page = page_html(client.get("/archive/"))

    months = queries.archive_months()
    links = [link["href"] for link in page.select(".archive-months a")]
    assert len(links) == len(months) >= 20
    assert links[0] == reverse(
        "blogs:archive_month", args=[f"{months[0].month:%Y}", f"{months[0].month:%m}"]
    )


def test_month_archive_shows_that_months_entries(client):
    month = queries.archive_months()[3]

    page = page_html(
        client.get(reverse("blogs:archive_month", args=[f"{month.month:%Y}", f"{month.month:%m}"]))
    )

    expected = newest_entries().filter(date__year=month.month.year, date__month=month.month.month)
    assert card_titles(page) == [entry.title for entry in expected][: settings.DRAGOMAN_PAGE_SIZE]
    assert len(expected) == month.count


def test_year_archive_shows_that_years_entries(client):
    year = queries.archive_months()[-1].month.year

    page = page_html(client.get(reverse("blogs:archive_year", args=[str(year)])))

    expected = [entry.title for entry in newest_entries().filter(date__year=year)]
    assert card_titles(page) == expected[: settings.DRAGOMAN_PAGE_SIZE]


def test_blog_archive_shows_only_that_blogs_months_and_entries(client):
    blog = BlogPage.objects.live().public().order_by("pk").first()
    month = queries.archive_months(blog=blog)[0]

    index = page_html(client.get(reverse("blogs:blog_archive_index", args=[blog.slug])))
    period = page_html(
        client.get(
            reverse(
                "blogs:blog_archive_month",
                args=[blog.slug, f"{month.month:%Y}", f"{month.month:%m}"],
            )
        )
    )
    year = page_html(
        client.get(reverse("blogs:blog_archive_year", args=[blog.slug, f"{month.month:%Y}"]))
    )

    assert len(index.select(".archive-months a")) == len(queries.archive_months(blog=blog))
    in_month = (
        newest_entries()
        .child_of(blog)
        .filter(date__year=month.month.year, date__month=month.month.month)
    )
    assert card_titles(period) == [entry.title for entry in in_month]
    in_year = newest_entries().child_of(blog).filter(date__year=month.month.year)
    assert card_titles(year) == [entry.title for entry in in_year][: settings.DRAGOMAN_PAGE_SIZE]


# The demo network itself (checked here, where it is built, rather than building it twice) --


def test_demo_network_has_what_the_issue_promises():
    live = EntryPage.objects.live().public()
    missions = Mission.objects.filter(bloggers__isnull=False).distinct()
    dates = sorted(live.values_list("date", flat=True))

    assert Blogger.objects.count() >= 12
    assert missions.count() >= 8
    assert missions.values("continent").distinct().count() >= 4
    assert live.count() >= 60
    assert (dates[-1] - dates[0]).days >= 600
    assert not live.filter(tagged_items__isnull=True).exists()
    assert sum(1 for entry in live if any(b.block_type == "image" for b in entry.body)) >= 10
    assert live.exclude(language="en").count() >= 5
    assert live.filter(language__in=["ar", "fa"]).exists()
    assert NetworkBestBit.objects.count() >= 3
