"""`dragoman export` and `dragoman import-archive`: leaving Dragoman, and coming back."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.core.management import CommandError, call_command
from wagtail.images.models import Image
from wagtail.models import PageViewRestriction

from dragoman.blogs.models import Blogger, BlogPage, EntryPage
from dragoman.channels.models import Channel
from dragoman.conversations.models import Comment
from dragoman.migration.archive import ArchiveUnreadable, archive_import
from dragoman.migration.export import archive_write
from dragoman.migration.models import SourceItem
from dragoman.migration.wordpress import wordpress_import
from tests.blogs.conftest import demo_network

pytestmark = pytest.mark.django_db

# Built once for the module, rolled back after it (tests/blogs/conftest.py).
demo_network = demo_network


def page_text(client, url: str) -> str:
    """What a reader sees of a page, with what differs by nature between two databases (image
    files' names, form tokens) left out."""
    html = client.get(url).content.decode()
    main = BeautifulSoup(html, "html.parser").find("main")
    for form in main.find_all("form"):
        form.decompose()
    for image in main.find_all(["img", "source"]):
        for name in ("src", "srcset", "width", "height"):
            image.attrs.pop(name, None)
    # The comment feeds are addressed by the entry's id, which a new database gives anew.
    text = re.sub(r"/entries/\d+/", "/entries/ID/", str(main))
    text = re.sub(r"comment-\d+", "comment-ID", text)
    # So are the share links, which go through /share/<network>/<entry id>/.
    text = re.sub(r"/share/([a-z]+)/\d+/", r"/share/\1/ID/", text)
    return re.sub(r"\s+", " ", text)


def first_difference(a: str, b: str, url: str) -> str:
    at = next(
        (n for n, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    return f"{url}: before …{a[at - 150 : at + 150]}… after …{b[at - 150 : at + 150]}…"


def empty_the_network() -> None:
    """Everything an archive holds is deleted; the missions stay (archives name them)."""
    for blog in BlogPage.objects.all():
        blog.delete()
    Channel.objects.all().delete()
    Blogger.objects.all().delete()
    Image.objects.all().delete()
    SourceItem.objects.all().delete()
    cache.clear()


def test_importing_the_archive_into_an_empty_network_gives_the_same_pages(
    demo_network, tmp_path, client
):
    # A community's blog is members-only: left out unless asked for (the next tests).
    members_only = [
        r.page.path
        for r in PageViewRestriction.objects.filter(restriction_type="groups").select_related(
            "page"
        )
    ]
    entries = [
        e for e in EntryPage.objects.live() if not any(e.path.startswith(p) for p in members_only)
    ]
    public = EntryPage.objects.live().public().order_by("pk")
    before = {entry.url: page_text(client, entry.url) for entry in public}
    blogs_before = {
        blog.url: page_text(client, blog.url) for blog in BlogPage.objects.live().public()
    }
    comments_before = Comment.objects.count()
    exported = archive_write(folder=tmp_path / "out")
    empty_the_network()

    report = archive_import(folder=tmp_path / "out")

    assert exported.entries == len(entries) and not report.failed
    after = {url: page_text(client, url) for url in before}
    for url, text in before.items():
        assert after[url] == text, first_difference(text, after[url], url)
    # A blog's page also shows what the archive does not hold (its best bits, the channels
    # register): its own header and description must come back.
    for url in blogs_before:
        # Its words: the picture's renditions have new file names with the new images.
        header = re.search(r"<header class=\"blog-header.*?</header>", page_text(client, url))
        assert header, url
        words = " ".join(re.sub(r"<[^>]+>", " ", header.group(0)).split())
        before = " ".join(re.sub(r"<[^>]+>", " ", blogs_before[url]).split())
        assert words in before, url
    assert Comment.objects.count() == comments_before


def community_blog() -> BlogPage:
    return BlogPage.objects.get(
        pk__in=PageViewRestriction.objects.filter(restriction_type="groups").values("page")
    )


def test_a_members_only_blog_is_left_out_or_refused_unless_asked_for(demo_network, tmp_path):
    blog = community_blog()

    exported = archive_write(folder=tmp_path / "all")

    archive = json.loads((tmp_path / "all" / "archive.json").read_text())
    assert blog.slug not in {row["slug"] for row in archive["blogs"]}
    assert blog.slug not in {row["blog"] for row in archive["entries"]}
    assert blog.url in exported.left_out
    with pytest.raises(CommandError, match="members-only"):
        call_command("export", "--blog", blog.slug, "--output", str(tmp_path / "one"))


def test_a_members_only_blog_comes_back_restricted_to_its_groups(demo_network, tmp_path, client):
    blog = community_blog()
    groups = sorted(g.name for g in PageViewRestriction.objects.get(page=blog).groups.all())
    titles = set(EntryPage.objects.child_of(blog).live().values_list("title", flat=True))
    call_command(
        "export", "--blog", blog.slug, "--include-members-only", "--output", str(tmp_path / "o")
    )
    archive = json.loads((tmp_path / "o" / "archive.json").read_text())
    # Its pictures stay home: imported, they would be public images.
    assert archive["blogs"][0]["top_image"] is None
    assert not [b for row in archive["entries"] for b in row["body"] if b["type"] == "image"]
    empty_the_network()

    archive_import(folder=tmp_path / "o")

    imported = BlogPage.objects.get(slug=blog.slug)
    restriction = PageViewRestriction.objects.get(page=imported)
    assert restriction.restriction_type == "groups"
    assert sorted(g.name for g in restriction.groups.all()) == groups
    assert set(EntryPage.objects.child_of(imported).values_list("title", flat=True)) == titles
    assert not EntryPage.objects.visible(None).filter(title__in=titles).exists()
    assert client.get(imported.url).status_code in (302, 404)


def test_the_archive_is_documented_json_with_its_media(demo_network, tmp_path):
    blog = BlogPage.objects.first()

    call_command("export", "--blog", blog.slug, "--output", str(tmp_path / "out"))

    archive = json.loads((tmp_path / "out" / "archive.json").read_text())
    assert archive["format"] == "dragoman-archive" and archive["version"] == 1
    assert {row["blog"] for row in archive["entries"]} == {blog.slug}
    images = [
        block["value"]["src"]
        for row in archive["entries"]
        for block in row["body"]
        if block["type"] == "image"
    ]
    assert images and all((tmp_path / "out" / src).is_file() for src in images)


def test_the_wordpress_export_reads_as_a_wordpress_export(demo_network, tmp_path):
    blog = BlogPage.objects.first()
    count = EntryPage.objects.child_of(blog).count()
    comments = (
        Comment.objects.filter(blog=blog)
        .exclude(status__in=["spam", "rejected", "withdrawn"])
        .count()
    )
    archive_write(folder=tmp_path / "out", blog_slug=blog.slug)

    report = wordpress_import(
        path=tmp_path / "out" / "wordpress.xml", blog_slug="copy", media_folder=tmp_path / "out"
    )

    assert report.imported == count and not report.failed
    assert Comment.objects.filter(blog__slug="copy").count() == comments


def test_an_unknown_blog_or_a_used_folder_is_refused(tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x").write_text("x")

    with pytest.raises(CommandError, match="No blog"):
        call_command("export", "--blog", "nope", "--output", str(tmp_path / "new"))
    with pytest.raises(CommandError, match="not empty"):
        call_command("export", "--output", str(tmp_path / "used"))


def test_a_folder_that_is_not_an_archive_is_refused(tmp_path):
    (tmp_path / "archive.json").write_text('{"format": "something else"}')

    with pytest.raises(ArchiveUnreadable, match="not a Dragoman archive"):
        archive_import(folder=tmp_path)
    with pytest.raises(ArchiveUnreadable, match=r"no archive\.json"):
        archive_import(folder=tmp_path / "nothing")
