"""Every public page has a text-only version under /text/ (docs/reach.md): its text, links
and image descriptions, no image, no stylesheet or script to fetch; an entry's weighs under
5 KB with gzip, and every link on it leads to another text-only page."""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
from urllib.parse import unquote

import pytest
from django.test import override_settings

from dragoman.core import textonly
from tests.factories import EntryFactory

MAX_GZIP_BYTES = 5 * 1024
HREF = re.compile(r'\shref="([^"]*)"')
READING_PAGES = ["home", "blog", "entry", "right-to-left entry", "tag", "archive", "profile"]


@pytest.mark.django_db
def test_the_text_only_entry_weighs_under_5_kb_with_gzip(demo_site):
    html = demo_site["text-only entry"].html.encode()

    size = len(gzip.compress(html, compresslevel=9))

    assert demo_site["text-only entry"].status == 200
    assert size < MAX_GZIP_BYTES, f"{size} bytes with gzip"


@pytest.mark.django_db
def test_the_text_only_entry_has_its_text_and_image_descriptions_but_no_image(demo_site):
    full = demo_site["entry"].html
    text = demo_site["text-only entry"].html
    descriptions = re.findall(r'<img[^>]*\salt="([^"]+)"', full.split('<main id="main"')[1])

    assert descriptions, "the demo's richest entry has described images"
    for description in descriptions:
        assert f"[Image: {description}]" in text
    for element in ("<img", "<picture", "<source", "<script", "<video", "<iframe"):
        assert element not in text
    assert 'rel="stylesheet"' not in text
    title = re.search(r"<h1[^>]*>(.*?)</h1>", full, re.S)
    assert title is not None and title.group(1).strip() in text


@pytest.mark.django_db
def test_every_link_of_a_text_only_page_stays_text_only_but_the_full_version(demo_site):
    page = demo_site["text-only entry"]
    full_version = page.path.removeprefix("/text")

    links = [href for href in HREF.findall(page.html) if href.startswith("/")]

    assert full_version in links
    assert [href for href in links if not href.startswith("/text/")] == [full_version]


@pytest.mark.django_db
@pytest.mark.parametrize("name", READING_PAGES)
def test_every_page_links_and_names_its_text_only_version(demo_site, name):
    page = demo_site[name]
    text_path = unquote("/text" + page.path)  # the page writes its address as an IRI

    alternate = re.search(
        r'<link\s+rel="alternate"\s+type="text/html"\s+title="([^"]+)"\s+'
        r'href="([^"]+)"',
        page.html,
    )

    assert alternate is not None
    assert alternate.groups() == ("Text-only version", text_path)
    assert f'<a href="{text_path}">Text-only version</a>' in page.html


@pytest.mark.django_db
def test_a_page_in_another_language_links_its_text_only_version_in_that_language(client):
    EntryFactory()

    html = client.get("/fr/").content.decode()

    assert 'href="/text/fr/"' in html


@pytest.mark.django_db
def test_the_text_only_page_allows_only_its_own_inline_style(client):
    entry = EntryFactory()

    response = client.get("/text" + entry.url)

    style = re.search(r"<style>(.*?)</style>", response.content.decode(), re.S)
    assert style is not None
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    assert f"'sha256-{digest}'" in response.headers["Content-Security-Policy"]
    assert "img-src 'none'" in response.headers["Content-Security-Policy"]


@pytest.mark.django_db
def test_text_only_pages_are_cached_apart_from_full_pages(client):
    entry = EntryFactory()

    with override_settings(DRAGOMAN_PAGE_CACHE=True):
        full = client.get(entry.url)
        text = client.get("/text" + entry.url)
        text_again = client.get("/text" + entry.url)

    assert full.headers["X-Cache"] == "MISS"
    assert (text.headers["X-Cache"], text_again.headers["X-Cache"]) == ("MISS", "HIT")
    assert b"<style>" in text_again.content
    assert b'rel="stylesheet"' in full.content


@pytest.mark.django_db
def test_staff_pages_and_files_have_no_text_only_version(client):
    assert client.get("/text/admin/").status_code == 404
    assert client.get("/text/static/core/site.css").status_code == 404


def test_images_become_their_descriptions_and_decorative_ones_vanish():
    html = (
        '<head><link rel="stylesheet" href="/s.css"></head><p>Hello <img src="/a.png" alt="A dhow">'
        '<picture><source srcset="/b.avif"><img src="/b.png" alt=""></picture>'
        "<script>alert(1)</script><aside><p>Tags</p></aside>&amp; bye</p>"
    )

    thin = textonly.text_only_html(html)

    assert "[Image: A dhow]" in thin
    assert "&amp; bye" in thin
    for gone in ("<img", "<source", "<picture", "<script", "Tags", "s.css"):
        assert gone not in thin
