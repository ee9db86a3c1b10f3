"""Each page runs as many queries with 40 entries as with 5: no query per entry, tag or author.

The entries are spread over blogs, bloggers, tags and months by the seed (`dragoman seed`);
the same pages (one entry's blog, author, tag, month) are measured before and after 35 more
entries join them, and the network's best bits grow from 3 to 10 picks.
"""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dragoman.blogs import services
from dragoman.blogs.models import BlogPage, EntryPage, HomePage
from dragoman.demo.seed import seed_entries
from tests.factories import BlogFactory, EntryFactory

PAGES: dict[str, Callable[[EntryPage, BlogPage], str]] = {
    "home": lambda entry, blog: "/",
    "blog index": lambda entry, blog: "/blogs/",
    "blog": lambda entry, blog: blog.url,
    "entry": lambda entry, blog: entry.url,
    "entry with an image": lambda entry, blog: EntryPage.objects.get(title="A picture (first)").url,
    "profile": lambda entry, blog: entry.authors[0].get_absolute_url(),
    "bloggers": lambda entry, blog: reverse("blogs:blogger_list"),
    "mission": lambda entry, blog: blog.mission.get_absolute_url(),
    "tags": lambda entry, blog: reverse("blogs:tag_index"),
    "tag": lambda entry, blog: reverse("blogs:tag_detail", args=[first_tag(entry)]),
    "blog tag": lambda entry, blog: reverse(
        "blogs:blog_tag_detail", args=[blog.slug, first_tag(entry)]
    ),
    "archive": lambda entry, blog: reverse("blogs:archive_index"),
    "archive year": lambda entry, blog: reverse("blogs:archive_year", args=[f"{entry.date:%Y}"]),
    "archive month": lambda entry, blog: reverse(
        "blogs:archive_month", args=[f"{entry.date:%Y}", f"{entry.date:%m}"]
    ),
    "blog archive": lambda entry, blog: reverse("blogs:blog_archive_index", args=[blog.slug]),
    "blog archive year": lambda entry, blog: reverse(
        "blogs:blog_archive_year", args=[blog.slug, f"{entry.date:%Y}"]
    ),
    "blog archive month": lambda entry, blog: reverse(
        "blogs:blog_archive_month", args=[blog.slug, f"{entry.date:%Y}", f"{entry.date:%m}"]
    ),
    "network rss": lambda entry, blog: reverse("blogs:network_rss"),
    "network atom": lambda entry, blog: reverse("blogs:network_atom"),
    "blog rss": lambda entry, blog: reverse("blogs:blog_rss", args=[blog.slug]),
    "blog atom": lambda entry, blog: reverse("blogs:blog_atom", args=[blog.slug]),
    "blogger rss": lambda entry, blog: reverse("blogs:blogger_rss", args=[entry.authors[0].slug]),
    "tag atom": lambda entry, blog: reverse("blogs:tag_atom", args=[first_tag(entry)]),
    "sitemap": lambda entry, blog: "/sitemap.xml",
}


def first_tag(entry: EntryPage) -> str:
    return entry.tags.order_by("slug").first().slug


def queries_per_page(client, entry: EntryPage) -> dict[str, int]:
    """How many queries each page runs when Django renders it (the page cache is off)."""
    blog = BlogPage.objects.get(pk=entry.get_parent().pk)
    counts = {}
    for name, address in PAGES.items():
        url = address(entry, blog)
        # A first visit warms what a running server keeps (the site, content types).
        assert client.get(url).status_code == 200, name
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(queries)
    return counts


@pytest.fixture
def measured(db, client, uncached):
    cache.clear()
    seed_entries(count=5, random_seed=1, years=1)
    entry = EntryPage.objects.order_by("pk").first()
    blog = entry.get_parent().specific
    picture_entry(blog=blog, authors=entry.authors, name="first")
    home = HomePage.objects.get()
    services.best_bits_set(page=home, entries=list(EntryPage.objects.order_by("pk")[:3]))
    services.best_bits_set(page=blog, entries=list(EntryPage.objects.order_by("pk")[:2]))
    few = queries_per_page(client, entry)

    seed_entries(count=35, random_seed=2, years=1)
    for name in ("second", "third", "fourth", "fifth"):
        picture_entry(blog=blog, authors=entry.authors, name=name)
    services.best_bits_set(page=home, entries=list(EntryPage.objects.order_by("-pk")[:10]))
    services.best_bits_set(page=blog, entries=list(EntryPage.objects.child_of(blog)[:10]))
    many = queries_per_page(client, entry)
    return few, many


def picture_entry(*, blog: BlogPage, authors, name: str) -> EntryPage:
    """An entry with an image (its author, blog and tag are those of the measured pages)."""
    from dragoman.demo.images import image_create, landscape_png

    image = image_create(title=f"Picture {name}", png=landscape_png(seed=1, width=240, height=135))
    return EntryFactory(
        blog=blog,
        title=f"A picture ({name})",
        authors=authors,
        body=[
            ("paragraph", "<p>Look.</p>"),
            ("image", {"image": image, "alt_text": "Hills under the sun", "caption": ""}),
        ],
        tags=[first_tag(EntryPage.objects.order_by("pk").first())],
        # The newest, so that every feed carries the pictures.
        date=timezone.now() - timedelta(minutes=len(name)),
    )


def test_every_page_runs_as_many_queries_with_many_entries_as_with_few(measured):
    few, many = measured

    assert many == few


def test_an_entry_page_reads_only_what_it_shows(db, client, uncached):
    """Its address, the entries before and after it (one query), its authors, tags and
    comments: nothing for its languages (it has no translation) or the conversation settings,
    which a process keeps until they change."""
    blog = BlogFactory()
    before, entry, after = (EntryFactory(blog=blog) for _ in range(3))
    client.get(entry.url)

    with CaptureQueriesContext(connection) as queries:
        page = client.get(entry.url).content.decode()

    assert len(queries) == 5, "\n".join(query["sql"] for query in queries)
    assert f'rel="prev" href="{before.url}"' in page
    assert f'rel="next" href="{after.url}"' in page
