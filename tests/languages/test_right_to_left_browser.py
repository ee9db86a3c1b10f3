"""An entry and its Arabic translation in a real browser: language, direction, hreflang,
translated interface, accessibility, and a layout that mirrors."""

import pytest

from dragoman.blogs import services
from tests.browser import artefact_path, axe_audit
from tests.factories import BlogFactory, BloggerFactory, EntryFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def water(transactional_db):
    blogger = BloggerFactory(display_name="Tomas Vellacott", job_title="Ambassador")
    blog = BlogFactory(slug="amman-notes", title="Amman notes", bloggers=[blogger])
    english = EntryFactory(
        blog=blog,
        title="Water, one bucket at a time",
        summary="A visit to a village water project.",
        language="en",
        tags=["water"],
    )
    arabic = EntryFactory(
        blog=blog,
        title="الماء في الأردن: قطرة بعد قطرة",
        summary="زيارة إلى مشروع لتجميع مياه الأمطار في قرية صغيرة.",
        body=[("paragraph", "<p>في القرية التي زرناها تجمع العائلات مياه الأمطار.</p>")],
        language="ar",
        tags=["water"],
    )
    services.entry_translation_link(entry=arabic, original=english)
    return english.reader_path(), arabic.reader_path()


def document_facts(page):
    return page.evaluate(
        """() => ({
            lang: document.documentElement.lang,
            dir: document.documentElement.dir,
            alternates: Object.fromEntries(
                [...document.querySelectorAll('link[rel=alternate][hreflang]:not([type])')]
                    .map(link => [link.hreflang, new URL(link.href).pathname])),
            nav: [...document.querySelectorAll('.site-nav a')].map(a => a.textContent.trim()),
        })"""
    )


def test_english_entry_is_left_to_right_links_its_arabic_translation_and_passes_axe(
    live_server, browser_page, water
):
    english, arabic = water

    browser_page.goto(live_server.url + english)
    facts = document_facts(browser_page)
    browser_page.screenshot(path=str(artefact_path("entry-en.png")), full_page=True)

    assert (facts["lang"], facts["dir"]) == ("en", "ltr")
    assert facts["alternates"] == {"en": english, "ar": arabic, "x-default": english}
    assert facts["nav"][:2] == ["Blogs", "Bloggers"]
    assert (
        browser_page.locator(f'.entry-translations a[href="{arabic}"]').get_attribute("dir")
        == "rtl"
    )
    assert axe_audit(browser_page) == []


def test_arabic_translation_is_right_to_left_in_an_arabic_interface_and_passes_axe(
    live_server, browser_page, water
):
    english, arabic = water

    browser_page.goto(live_server.url + arabic)
    facts = document_facts(browser_page)
    browser_page.screenshot(path=str(artefact_path("entry-ar.png")), full_page=True)

    assert arabic.startswith("/ar/")
    assert (facts["lang"], facts["dir"]) == ("ar", "rtl")
    assert facts["alternates"] == {"en": english, "ar": arabic, "x-default": english}
    assert facts["nav"][:2] == ["المدونات", "المدوّنون"]
    assert "نُشرت في" in browser_page.locator(".entry .byline").inner_text()
    # A Latin name in an Arabic page is isolated in its own direction.
    assert browser_page.locator(".byline__author").first.get_attribute("dir") == "auto"
    assert axe_audit(browser_page) == []


def test_layout_mirrors_between_the_english_and_the_arabic_entry(live_server, browser_page, water):
    english, arabic = water
    width = browser_page.viewport_size["width"]

    def boxes(path):
        browser_page.goto(live_server.url + path)
        return {
            selector: browser_page.locator(selector).first.bounding_box()
            for selector in (
                ".site-header__name",
                ".blog-header__title a",
                ".author-box__name a",
                ".entry__title",
            )
        }

    ltr, rtl = boxes(english), boxes(arabic)

    for selector in ltr:
        # Starts near the left edge in English, ends near the right edge in Arabic.
        assert ltr[selector]["x"] < width / 3, selector
        assert rtl[selector]["x"] + rtl[selector]["width"] > width * 2 / 3, selector
        assert rtl[selector]["x"] > ltr[selector]["x"], selector
