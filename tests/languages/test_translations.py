"""Entries linked to their translations: pages, hreflang, language switcher, sitemap."""

import re

import pytest
from django.core.exceptions import ValidationError

from dragoman.blogs import services
from dragoman.blogs.models import EntryPage
from tests.factories import BlogFactory, EntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def water():
    """An English entry and its Arabic translation, on the same blog."""
    blog = BlogFactory(slug="amman-notes", title="Amman notes")
    english = EntryFactory(blog=blog, title="Water, one bucket at a time", language="en")
    arabic = EntryFactory(blog=blog, title="الماء في الأردن", language="ar")
    services.entry_translation_link(entry=arabic, original=english)
    return english, arabic


def alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def test_entry_page_links_to_its_translation_in_its_own_language(client, water):
    english, arabic = water

    page = client.get(english.reader_path()).content.decode()

    assert 'hreflang="ar" lang="ar" dir="rtl">العربيّة: الماء في الأردن</a>' in page
    assert f'href="{arabic.reader_path()}"' in page


def test_both_translations_carry_the_same_hreflang_alternates_and_x_default(client, water):
    english, arabic = water

    english_links = alternates(client.get(english.reader_path()).content.decode())
    arabic_links = alternates(client.get(arabic.reader_path()).content.decode())

    assert english_links == arabic_links
    assert english_links == {
        "en": f"http://127.0.0.1:8000{english.reader_path()}",
        "ar": f"http://127.0.0.1:8000{arabic.reader_path()}",
        "x-default": f"http://127.0.0.1:8000{english.reader_path()}",
    }


def test_arabic_translation_page_is_right_to_left_in_arabic(client, water):
    _english, arabic = water

    page = client.get(arabic.reader_path()).content.decode()

    assert '<html lang="ar" dir="rtl">' in page
    assert '<article class="entry" lang="ar" dir="rtl">' in page


def test_entry_without_translations_has_no_hreflang_alternates(client):
    entry = EntryFactory(language="en")

    page = client.get(entry.url).content.decode()

    assert alternates(page) == {}


def test_other_pages_offer_each_interface_language_as_an_alternate(client, water):
    page = client.get("/blogs/").content.decode()

    links = alternates(page)
    assert links["fa"] == "http://127.0.0.1:8000/fa/blogs/"
    assert links["x-default"] == "http://127.0.0.1:8000/blogs/"
    assert len(links) == 7


def switcher(html: str) -> dict[str, str]:
    nav = html.split('class="language-switcher"', 1)[1].split("</nav>", 1)[0]
    return {code: href for href, code in re.findall(r'href="([^"]+)" lang="([^"]+)"', nav)}


def test_switcher_on_an_entry_goes_to_its_translation_or_to_the_language_home(client, water):
    english, arabic = water

    links = switcher(client.get(english.reader_path()).content.decode())

    assert links["ar"] == arabic.reader_path()
    assert links["en"] == english.reader_path()
    assert links["fa"] == "/fa/"
    assert links["ru"] == "/ru/"


def test_switcher_on_other_pages_goes_to_the_same_page_in_that_language(client, water):
    links = switcher(client.get("/tags/").content.decode())

    assert links["fr"] == "/fr/tags/"
    assert links["en"] == "/tags/"


def test_switcher_marks_the_current_language(client, water):
    page = client.get("/ar/blogs/").content.decode()

    assert re.search(r'lang="ar" hreflang="ar" dir="rtl" aria-current="true">', page)


def test_unpublished_translation_is_not_linked(client):
    english = EntryFactory(language="en")
    services.entry_translation_create(entry=english, language="fr")

    page = client.get(english.reader_path()).content.decode()

    assert "entry-translations" not in page
    assert alternates(page) == {}


def test_an_original_shows_a_translation_published_after_it_was_first_read(client):
    # An entry known to have no translation skips the look-up of its group: what it knows
    # must change as soon as a translation is published.
    blog = BlogFactory()
    english = EntryFactory(blog=blog, title="Water, one bucket at a time", language="en")
    arabic = EntryFactory(blog=blog, title="الماء في الأردن", language="ar")
    assert "entry-translations" not in client.get(english.reader_path()).content.decode()

    services.entry_translation_link(entry=arabic, original=english)

    page = client.get(english.reader_path()).content.decode()
    assert 'hreflang="ar" lang="ar" dir="rtl">العربيّة: الماء في الأردن</a>' in page
    assert alternates(page)["ar"] == f"http://127.0.0.1:8000{arabic.reader_path()}"


def test_sitemap_lists_each_translation_with_its_alternates(client, water):
    english, arabic = water

    sitemap = client.get("/sitemap.xml").content.decode()

    assert f"<loc>http://127.0.0.1:8000{arabic.reader_path()}</loc>" in sitemap
    assert f"<loc>http://127.0.0.1:8000{english.reader_path()}</loc>" in sitemap
    assert sitemap.count(f'hreflang="ar" href="http://127.0.0.1:8000{arabic.reader_path()}"') == 2
    assert sitemap.count('hreflang="x-default"') == 2


def test_a_translation_cannot_translate_another_translation(water):
    english, arabic = water
    french = EntryFactory(blog=english.get_parent().specific, language="fr")

    with pytest.raises(ValidationError):
        services.entry_translation_link(entry=french, original=arabic)


def test_a_group_has_one_version_per_language(water):
    english, _arabic = water
    second_arabic = EntryFactory(blog=english.get_parent().specific, language="ar")

    with pytest.raises(ValidationError):
        services.entry_translation_link(entry=second_arabic, original=english)


def test_starting_a_translation_makes_a_linked_draft_copy(water):
    english, _arabic = water

    draft = services.entry_translation_create(entry=english, language="fa")

    assert draft.translation_of == english
    assert draft.language == "fa"
    assert not draft.live
    assert draft.title == english.title
    assert [a.display_name for a in draft.authors] == [a.display_name for a in english.authors]
    assert EntryPage.objects.filter(translation_of=english).count() == 2


def test_alternates_of_a_paged_list_keep_the_page_number_like_the_canonical_link(client, water):
    page = client.get("/tags/?page=2&utm_source=x").content.decode()

    links = alternates(page)
    assert links["ar"] == "http://127.0.0.1:8000/ar/tags/?page=2"
    assert links["x-default"] == "http://127.0.0.1:8000/tags/?page=2"


def test_switcher_keeps_the_query_of_the_page(client, water):
    links = switcher(client.get("/tags/?page=2").content.decode())

    assert links["fa"] == "/fa/tags/?page=2"


def test_sitemap_reads_translations_in_a_fixed_number_of_queries(client, water):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def translation_reads(captured: CaptureQueriesContext) -> list[str]:
        # Whether Wagtail's site lookup is among them depends on what the request finds
        # remembered, not on the translations: it is left out of both counts.
        return [q["sql"] for q in captured.captured_queries if "wagtailcore_site" not in q["sql"]]

    client.get("/sitemap.xml")
    with CaptureQueriesContext(connection) as before:
        client.get("/sitemap.xml")
    english, _arabic = water
    blog = english.get_parent().specific
    for number in range(3):
        original = EntryFactory(blog=blog, title=f"Original {number}", language="en")
        translated = EntryFactory(blog=blog, title=f"Traduction {number}", language="fr")
        services.entry_translation_link(entry=translated, original=original)
    client.get("/sitemap.xml")
    with CaptureQueriesContext(connection) as after:
        sitemap = client.get("/sitemap.xml").content.decode()

    assert sitemap.count('hreflang="x-default"') == 8
    assert len(translation_reads(after)) <= len(translation_reads(before)), "\n".join(
        translation_reads(after)
    )
