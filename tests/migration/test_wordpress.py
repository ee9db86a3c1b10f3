"""Importing WordPress exports written by the tests: entries, authors, media, comments,
addresses, re-runs and bad input."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from PIL import Image as PillowImage
from wagtail.contrib.redirects.models import Redirect
from wagtail.images.models import Image
from wagtail.models import PageViewRestriction

from dragoman.blogs.models import Blogger, EntryPage
from dragoman.conversations.models import Comment
from dragoman.migration.models import SourceItem
from dragoman.migration.wordpress import wordpress_import
from dragoman.migration.wxr import ExportUnreadable
from tests.migration.exports import WxrComment, WxrPost, wxr_text

pytestmark = pytest.mark.django_db

IMAGE_URL = "https://old.example.org/wp-content/uploads/2021/03/harbour-300x200.jpg"

RICH_BODY = f"""The ambassador opened the <strong>new consulate</strong> today.

A second paragraph, with <a href="https://example.org/report">the report</a>.

<h2>What comes next</h2>
<ul><li>Visas</li><li>Trade</li></ul>
[caption id="attachment_9" align="alignnone" width="300"]<img class="wp-image-9" src="{IMAGE_URL}" alt="The harbour at dawn" width="300" height="200" /> The harbour[/caption]
<blockquote><p>Diplomacy is conversation.</p><cite>The ambassador</cite></blockquote>
[embed]https://www.youtube.com/watch?v=aqz-KE-bpKQ[/embed]
"""


def write(tmp_path: Path, posts: list[WxrPost], name: str = "export.xml", **kwargs) -> Path:
    path = tmp_path / name
    path.write_text(wxr_text(posts, **kwargs), encoding="utf-8")
    return path


def uploads(tmp_path: Path) -> Path:
    folder = tmp_path / "uploads" / "2021" / "03"
    folder.mkdir(parents=True)
    out = io.BytesIO()
    PillowImage.new("RGB", (60, 40), (10, 80, 140)).save(out, format="JPEG")
    (folder / "harbour.jpg").write_bytes(out.getvalue())
    return tmp_path / "uploads"


def rich_post(**kwargs) -> WxrPost:
    values = dict(
        id=12,
        title="A new consulate",
        content=RICH_BODY,
        slug="a-new-consulate",
        excerpt="We opened a consulate.",
        tags=["Trade"],
        categories=["Consular"],
        comments=[
            WxrComment(id=1, content="Congratulations!"),
            WxrComment(
                id=2,
                content="Thank you, come and visit.",
                author="Ana Diplomat",
                email="ana@example.org",
                parent=1,
                user_id=1,
            ),
            WxrComment(id=3, content="Buy watches", approved="spam"),
            WxrComment(id=4, content="Waiting for a moderator", approved="0"),
        ],
    )
    values.update(kwargs)
    return WxrPost(**values)


def test_a_post_becomes_an_entry_with_its_blocks_tags_summary_and_date(tmp_path):
    path = write(tmp_path, [rich_post()])

    report = wordpress_import(path=path, media_folder=uploads(tmp_path))

    entry = EntryPage.objects.get()
    kinds = [block.block_type for block in entry.body]
    assert report.imported == 1 and not report.failed
    assert kinds == ["paragraph", "paragraph", "heading", "paragraph", "image", "quote", "video"]
    assert "<b>new consulate</b>" in str(entry.body[0].value)
    figure = entry.body[4].value
    assert figure["alt_text"] == "The harbour at dawn"
    assert figure["caption"] == "The harbour"
    assert entry.body[5].value["attribution"] == "The ambassador"
    assert entry.summary == "We opened a consulate."
    assert sorted(entry.tags.names()) == ["Consular", "Trade"]
    assert entry.date.isoformat() == "2021-03-04T10:20:30+00:00"
    assert entry.live and entry.slug == "a-new-consulate"
    assert [b.display_name for b in entry.authors] == ["Ana Diplomat"]


def test_comments_keep_their_threading_and_the_authors_reply_is_official(tmp_path):
    path = write(tmp_path, [rich_post()])

    report = wordpress_import(path=path, media_folder=uploads(tmp_path))

    reader = Comment.objects.get(body="Congratulations!")
    reply = Comment.objects.get(parent=reader)
    assert reader.status == Comment.Status.APPROVED
    assert reply.name == "Ana Diplomat" and reply.status == Comment.Status.APPROVED
    assert Comment.objects.get(body="Waiting for a moderator").status == Comment.Status.PENDING
    assert not Comment.objects.filter(body__contains="watches").exists()
    assert report.skipped["comments marked as spam or binned"] == 1


def test_the_entry_page_shows_the_imported_conversation(tmp_path, client):
    wordpress_import(path=write(tmp_path, [rich_post()]), media_folder=uploads(tmp_path))
    entry = EntryPage.objects.get()

    page = client.get(entry.url).content.decode()

    assert "Congratulations!" in page
    assert "Thank you, come and visit." in page
    assert "Waiting for a moderator" not in page


def test_old_addresses_redirect_to_the_new_entry(tmp_path, client):
    wordpress_import(path=write(tmp_path, [rich_post()]), media_folder=uploads(tmp_path))
    entry = EntryPage.objects.get()

    permalink = client.get("/2021/03/a-new-consulate/")
    by_id = client.get("/?p=12")

    assert permalink.status_code == 301 and permalink["Location"].endswith(entry.url)
    assert by_id.status_code == 301 and by_id["Location"].endswith(entry.url)
    assert Redirect.objects.count() == 2


def test_a_second_run_updates_and_never_duplicates(tmp_path):
    media = uploads(tmp_path)
    wordpress_import(path=write(tmp_path, [rich_post()]), media_folder=media)

    again = wordpress_import(path=write(tmp_path, [rich_post()]), media_folder=media)
    changed = wordpress_import(
        path=write(tmp_path, [rich_post(title="A new consulate, opened")]), media_folder=media
    )

    assert again.unchanged == 1 and again.imported == 0
    assert changed.changed == 1
    assert EntryPage.objects.get().title == "A new consulate, opened"
    assert EntryPage.objects.count() == 1
    assert Comment.objects.count() == 3
    assert Image.objects.count() == 1
    assert Blogger.objects.count() == 2


def test_authors_are_matched_by_email_across_sites(tmp_path):
    wordpress_import(path=write(tmp_path, [rich_post()]))
    other = write(
        tmp_path,
        [rich_post(creator="ana2")],
        name="other.xml",
        authors=[(7, "ana2", "ANA@example.org", "Ana D.")],
        title="Another site",
    )

    wordpress_import(path=other, blog_slug="another")

    assert Blogger.objects.filter(display_name__startswith="Ana").count() == 1


def test_statuses_become_published_draft_scheduled_and_private(tmp_path):
    posts = [
        WxrPost(id=1, title="Draft", content="d", status="draft", date="0000-00-00 00:00:00"),
        WxrPost(id=2, title="Later", content="l", status="future", date="2099-01-01 00:00:00"),
        WxrPost(id=3, title="Private", content="p", status="private"),
        WxrPost(id=4, title="Binned", content="b", status="trash"),
        WxrPost(id=5, title="About us", content="page", post_type="page"),
    ]

    report = wordpress_import(path=write(tmp_path, posts))

    entries = {entry.title: entry for entry in EntryPage.objects.all()}
    assert not entries["Draft"].live
    assert entries["Later"].live and not entries["Later"].is_visible_to(None)
    assert PageViewRestriction.objects.filter(page=entries["Private"]).exists()
    assert not entries["Private"].is_visible_to(None)
    assert "Binned" not in entries and "About us" not in entries
    assert report.skipped["not an entry (WordPress page)"] == 1


def test_a_missing_image_is_listed_never_silently_dropped(tmp_path):
    report = wordpress_import(path=write(tmp_path, [rich_post()]))

    assert IMAGE_URL in report.missing_media
    assert any(IMAGE_URL in line for line in report.lines())
    assert EntryPage.objects.get().live


def test_hostile_markup_in_bodies_and_comments_is_dropped(tmp_path, client):
    hostile = (
        '<p onclick="steal()">Hello <a href="javascript:alert(1)">there</a></p>'
        "<script>alert('body')</script><style>body{display:none}</style>"
        '<iframe src="https://evil.example/"></iframe><img src="x" onerror="alert(2)">'
    )
    post = rich_post(
        content=hostile,
        comments=[WxrComment(id=1, content="<script>alert('c')</script><b>Nice</b>")],
    )
    report = wordpress_import(path=write(tmp_path, [post]))
    entry = EntryPage.objects.get()

    page = client.get(entry.url).content.decode()

    assert "alert(" not in page and "steal()" not in page and "onerror" not in page
    assert "Hello there" in page
    assert any("unsafe" in note for note in report.notes)


def test_unknown_shortcodes_are_removed_and_named(tmp_path):
    post = rich_post(content='Before [contact-form-7 id="4" title="Contact"] after, [sic].')

    report = wordpress_import(path=write(tmp_path, [post]))

    body = str(EntryPage.objects.get().body[0].value)
    assert "contact-form-7" not in body and "[sic]" in body
    assert any("[contact-form-7]" in note for note in report.notes)


def test_a_bad_entry_is_reported_and_the_others_go_on(tmp_path):
    posts = [
        WxrPost(id=1, title="Fine", content="fine"),
        WxrPost(id=2, title="Nobody wrote this", content="x", creator=""),
        WxrPost(id=3, title="Also fine", content="fine too"),
    ]

    report = wordpress_import(path=write(tmp_path, posts))

    assert report.imported == 2
    assert len(report.failed) == 1 and "Nobody wrote this" in report.failed[0]
    assert not SourceItem.objects.filter(kind="entry", source_id="2").exists()


def test_dry_run_reports_and_writes_nothing(tmp_path):
    report = wordpress_import(path=write(tmp_path, [rich_post()]), dry_run=True)

    assert report.imported == 1
    assert not EntryPage.objects.exists() and not Blogger.objects.exists()
    assert report.lines()[0].startswith("Dry run")


def test_wxr_1_1_is_read(tmp_path):
    report = wordpress_import(path=write(tmp_path, [rich_post()], version="1.1"))

    assert report.imported == 1


def test_malformed_xml_is_refused_before_anything_is_written(tmp_path):
    text = wxr_text([rich_post(), rich_post(id=13)])
    path = tmp_path / "broken.xml"
    path.write_text(text[: len(text) - 200] + "<oops></channel>", encoding="utf-8")

    with pytest.raises(ExportUnreadable, match="line"):
        wordpress_import(path=path)

    assert not EntryPage.objects.exists()


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>',
        '<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>',
    ],
    ids=["entity expansion", "external entity"],
)
def test_entities_are_refused(tmp_path, doctype):
    text = wxr_text([rich_post(content="&b; &secret;")])
    path = tmp_path / "evil.xml"
    path.write_text(text.replace("?>\n", "?>\n" + doctype + "\n", 1), encoding="utf-8")

    with pytest.raises(ExportUnreadable, match="DTD or entities"):
        wordpress_import(path=path)

    assert not EntryPage.objects.exists()


def test_a_file_in_another_encoding_than_declared_gets_a_clear_message(tmp_path):
    path = tmp_path / "latin1.xml"
    path.write_bytes(wxr_text([rich_post(title="Café à Paris")]).encode("latin-1"))

    with pytest.raises(ExportUnreadable, match="convert it to UTF-8"):
        wordpress_import(path=path)


def test_a_declared_legacy_encoding_is_read(tmp_path):
    text = wxr_text([rich_post(title="Café à Paris")]).replace('"UTF-8"', '"ISO-8859-1"', 1)
    path = tmp_path / "latin1.xml"
    path.write_bytes(text.encode("latin-1"))

    wordpress_import(path=path)

    assert EntryPage.objects.get().title == "Café à Paris"


def test_not_a_wordpress_export_is_refused(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_text("<html><body>hello</body></html>")

    with pytest.raises(ExportUnreadable, match="not a WordPress export"):
        wordpress_import(path=path)


def test_the_command_reports_and_refuses_bad_files_with_a_message(tmp_path):
    out = io.StringIO()
    call_command(
        "import-wordpress", str(write(tmp_path, [rich_post()])), "--no-progress", stdout=out
    )
    broken = tmp_path / "broken.xml"
    broken.write_text("<rss><channel><item>")

    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import-wordpress", str(broken), "--no-progress")

    assert "Entries: 1 imported" in out.getvalue()


# A real export, made by WordPress 6.1 itself (fixtures/make-wordpress-export.sh) ----------
FIXTURES = Path(__file__).parent / "fixtures"


def real_import():
    return wordpress_import(
        path=FIXTURES / "wordpress-export.xml", media_folder=FIXTURES / "wordpress-uploads"
    )


def test_a_real_wordpress_export_gives_its_entries_images_and_video():
    report = real_import()

    entry = EntryPage.objects.get(slug="opening-the-new-consulate")
    kinds = [block.block_type for block in entry.body]
    figures = [block.value for block in entry.body if block.block_type == "image"]
    assert report.imported == 6 and not report.failed and not report.missing_media
    assert kinds[:5] == ["paragraph", "heading", "paragraph", "image", "quote"]
    assert kinds.count("image") == 3 and kinds[-1] == "video"
    assert figures[0]["alt_text"] == "The harbour at dawn"
    assert figures[2]["caption"] == "Caption of bridge.jpg"
    assert entry.summary == "The consulate in Porto opened its doors."
    assert sorted(entry.tags.names()) == ["Consular", "Consular news", "Porto"]
    assert entry.date.isoformat() == "2024-05-10T10:30:00+00:00"
    assert Image.objects.count() == 2
    assert report.skipped["not an entry (WordPress page)"] == 3
    gutenberg = EntryPage.objects.get(slug="semana-cultural")
    assert [b.block_type for b in gutenberg.body] == ["paragraph", "image", "video"]
    assert gutenberg.authors[0].display_name == "Ben Okafor"


def test_a_real_wordpress_export_gives_its_conversation_and_statuses():
    real_import()

    maria = Comment.objects.get(name="Maria")
    reply = Comment.objects.get(parent=maria)
    entries = {entry.slug: entry for entry in EntryPage.objects.all()}
    assert reply.name == "Ana Sousa" and reply.body == "Yes, from June."
    assert Comment.objects.get(name="João").status == Comment.Status.PENDING
    assert "<script>" not in Comment.objects.get(name="João").body_html
    assert not entries["notes-for-later"].live
    assert entries["national-day"].live and not entries["national-day"].is_visible_to(None)
    assert not entries["staff-only"].is_visible_to(None)


def test_a_real_wordpress_export_redirects_its_addresses(client):
    real_import()
    entry = EntryPage.objects.get(slug="opening-the-new-consulate")
    post_id = SourceItem.objects.get(kind="entry", target_id=entry.pk).source_id

    permalink = client.get("/2024/05/opening-the-new-consulate/")
    by_id = client.get(f"/?p={post_id}")

    assert permalink.status_code == 301 and permalink["Location"].endswith(entry.url)
    assert by_id.status_code == 301 and by_id["Location"].endswith(entry.url)


def test_a_real_wordpress_export_imported_twice_is_unchanged():
    real_import()

    again = real_import()

    assert again.unchanged == 6 and again.imported == again.changed == 0
    assert EntryPage.objects.count() == 6 and Comment.objects.count() == 4


def test_a_run_stopped_half_way_resumes_where_it_stopped(tmp_path):
    posts = [WxrPost(id=n, title=f"Entry {n}", content=f"Body {n}") for n in range(1, 5)]
    wordpress_import(path=write(tmp_path, posts[:2]))  # as if stopped after two entries

    resumed = wordpress_import(path=write(tmp_path, posts))

    assert (resumed.unchanged, resumed.imported) == (2, 2)
    assert EntryPage.objects.count() == 4


def test_each_site_of_a_multisite_comes_onto_its_own_blog(tmp_path):
    # A multisite's sites share the network's address (base_site_url); each exports its own
    # file, named by its own address (base_blog_url), with post ids that may repeat.
    files = []
    for site in ("lisbon", "porto"):
        text = wxr_text([WxrPost(id=1, title=f"News from {site}", content="Hello.")])
        text = text.replace(
            "<wp:base_blog_url>https://old.example.org</wp:base_blog_url>",
            f"<wp:base_blog_url>https://old.example.org/{site}</wp:base_blog_url>",
        ).replace("<title>", f"<title>{site.title()} ", 1)
        path = tmp_path / f"{site}.xml"
        path.write_text(text, encoding="utf-8")
        files.append(path)

    reports = [wordpress_import(path=path) for path in files]
    again = wordpress_import(path=files[0])

    entries = {entry.title: entry for entry in EntryPage.objects.all()}
    assert [report.imported for report in reports] == [1, 1] and again.unchanged == 1
    assert set(entries) == {"News from lisbon", "News from porto"}
    assert entries["News from lisbon"].blog_id != entries["News from porto"].blog_id
    # The same two authors (ana, ben) on both sites, found again by email: not four.
    assert Blogger.objects.count() == 2


def test_the_import_shows_a_progress_bar(tmp_path, capsys):
    posts = [WxrPost(id=n, title=f"Entry {n}", content=f"Body {n}") for n in range(1, 4)]

    wordpress_import(path=write(tmp_path, posts), show_progress=True)

    assert "3/3" in capsys.readouterr().err
