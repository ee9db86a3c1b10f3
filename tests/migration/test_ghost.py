"""Importing Ghost exports (Lexical, Mobiledoc and HTML bodies) written by the tests."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from PIL import Image as PillowImage
from wagtail.contrib.redirects.models import Redirect

from dragoman.blogs.models import Blogger, EntryPage
from dragoman.migration.ghost import ExportUnreadable, ghost_import

pytestmark = pytest.mark.django_db

LEXICAL = {
    "root": {
        "children": [
            {
                "type": "paragraph",
                "children": [
                    {"type": "text", "text": "Hello ", "format": 0},
                    {"type": "text", "text": "world", "format": 1},
                    {
                        "type": "link",
                        "url": "https://example.org",
                        "children": [{"type": "text", "text": " link", "format": 0}],
                    },
                ],
            },
            {"type": "heading", "tag": "h2", "children": [{"type": "text", "text": "Part two"}]},
            {
                "type": "list",
                "listType": "bullet",
                "children": [{"type": "listitem", "children": [{"type": "text", "text": "One"}]}],
            },
            {
                "type": "image",
                "src": "__GHOST_URL__/content/images/2024/01/tea.jpg",
                "alt": "A cup of tea",
                "caption": "Tea time",
            },
            {"type": "embed", "url": "https://www.youtube.com/watch?v=aqz-KE-bpKQ"},
            {"type": "html", "html": "<p>Raw <script>alert(1)</script>html</p>"},
        ]
    }
}

MOBILEDOC = {
    "version": "0.3.1",
    "atoms": [],
    "cards": [["image", {"src": "__GHOST_URL__/content/images/2024/01/tea.jpg", "alt": "Tea"}]],
    "markups": [["strong"], ["a", ["href", "https://example.org"]]],
    "sections": [
        [1, "p", [[0, [], 0, "Old "], [0, [0], 1, "bold"], [0, [1], 1, " link"]]],
        [10, 0],
        [3, "ul", [[[0, [], 0, "item"]]]],
    ],
}


def export(posts: list[dict], **data) -> dict:
    base = {
        "settings": [
            {"key": "title", "value": "Ghost embassy"},
            {"key": "url", "value": "https://ghost.example.org"},
            {"key": "locale", "value": "fr"},
        ],
        "users": [{"id": "u1", "name": "Chloé", "slug": "chloe", "email": "chloe@example.org"}],
        "tags": [{"id": "t1", "name": "Culture"}, {"id": "t2", "name": "#internal"}],
        "posts_tags": [
            {"post_id": "p1", "tag_id": "t1", "sort_order": 0},
            {"post_id": "p1", "tag_id": "t2", "sort_order": 1},
        ],
        "posts_authors": [{"post_id": p["id"], "author_id": "u1"} for p in posts],
        "posts_meta": [{"post_id": "p1", "feature_image_alt": "The residence"}],
        "posts": posts,
    }
    base.update(data)
    return {"db": [{"meta": {"version": "5.80.0"}, "data": base}]}


def post(**kwargs) -> dict:
    values = {
        "id": "p1",
        "title": "Bonjour",
        "slug": "bonjour",
        "lexical": json.dumps(LEXICAL),
        "mobiledoc": None,
        "html": "<p>ignored when lexical is there</p>",
        "type": "post",
        "status": "published",
        "visibility": "public",
        "published_at": "2024-01-05T10:00:00.000Z",
        "custom_excerpt": "A greeting.",
        "feature_image": "__GHOST_URL__/content/images/2024/01/residence.jpg",
    }
    values.update(kwargs)
    return values


def write(tmp_path: Path, document: dict) -> Path:
    path = tmp_path / "ghost.json"
    path.write_text(json.dumps(document))
    return path


def images(tmp_path: Path) -> Path:
    folder = tmp_path / "images" / "2024" / "01"
    folder.mkdir(parents=True)
    for name in ("tea.jpg", "residence.jpg"):
        out = io.BytesIO()
        PillowImage.new("RGB", (40, 30), (200, 120, 20)).save(out, format="JPEG")
        (folder / name).write_bytes(out.getvalue())
    return tmp_path / "images"


def test_a_lexical_post_becomes_an_entry_with_its_feature_image_first(tmp_path):
    report = ghost_import(path=write(tmp_path, export([post()])), media_folder=images(tmp_path))

    entry = EntryPage.objects.get()
    kinds = [block.block_type for block in entry.body]
    assert report.imported == 1 and not report.missing_media and not report.failed
    assert kinds == ["image", "paragraph", "heading", "paragraph", "image", "video", "paragraph"]
    assert entry.body[0].value["alt_text"] == "The residence"
    assert entry.body[4].value["caption"] == "Tea time"
    assert "<b>world</b>" in str(entry.body[1].value)
    assert "script" not in str(entry.body[6].value)
    assert list(entry.tags.names()) == ["Culture"]
    assert entry.language == "fr" and entry.summary == "A greeting."
    assert entry.authors[0].display_name == "Chloé"
    assert Redirect.objects.filter(old_path="/bonjour").exists()


def test_a_mobiledoc_post_and_an_html_post_are_read(tmp_path):
    posts = [
        post(id="p1", lexical=None, mobiledoc=json.dumps(MOBILEDOC), feature_image=None),
        post(
            id="p2",
            slug="html-only",
            lexical=None,
            html="<p>Just <em>HTML</em></p>",
            feature_image=None,
        ),
    ]

    ghost_import(path=write(tmp_path, export(posts)), media_folder=images(tmp_path))

    old = EntryPage.objects.get(slug="bonjour")
    assert [b.block_type for b in old.body] == ["paragraph", "image", "paragraph"]
    assert '<b>bold</b><a href="https://example.org"> link</a>' in str(old.body[0].value)
    assert str(EntryPage.objects.get(slug="html-only").body[0].value) == "<p>Just <i>HTML</i></p>"


def test_members_only_posts_are_private_and_pages_skipped(tmp_path):
    posts = [post(visibility="members"), post(id="p2", slug="about", type="page")]

    report = ghost_import(path=write(tmp_path, export(posts)))

    assert not EntryPage.objects.get().is_visible_to(None)
    assert report.skipped["not an entry (Ghost page)"] == 1


def test_a_second_run_changes_nothing_and_authors_are_not_duplicated(tmp_path):
    path = write(tmp_path, export([post()]))
    ghost_import(path=path)

    again = ghost_import(path=path)

    assert again.unchanged == 1 and EntryPage.objects.count() == 1
    assert Blogger.objects.count() == 1


def test_a_missing_feature_image_is_listed(tmp_path):
    report = ghost_import(path=write(tmp_path, export([post()])))

    assert "https://ghost.example.org/content/images/2024/01/residence.jpg" in report.missing_media


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"posts": []}', "not a Ghost export"),
        ("[]", "not a Ghost"),
    ],
)
def test_a_file_that_is_not_a_ghost_export_is_refused(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)

    with pytest.raises(ExportUnreadable, match=message):
        ghost_import(path=path)
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import-ghost", str(path), "--no-progress")
