"""The network's name that every page's frame shows, in the page's language."""

import pytest
from django.conf import settings
from django.utils import translation

from dragoman.core.services import network_names_set
from tests.blogs.reader import page_html, visible_text
from tests.factories import EntryFactory

pytestmark = pytest.mark.django_db

NAMES = {
    "en": ("Embassy voices", "Diplomats write."),
    "fr": ("Voix des ambassades", "Des diplomates écrivent."),
    "ar": ("أصوات السفارات", "دبلوماسيون يكتبون."),
    "fa": ("صداهای سفارت", "دیپلمات‌ها می‌نویسند."),
}


def og_site_name(client, path: str) -> str:
    tag = page_html(client.get(path)).find("meta", property="og:site_name")
    assert tag is not None, f"{path} has an og:site_name"
    return str(tag["content"])


def test_og_site_name_is_the_network_name_on_the_home_blog_entry_and_profile_pages(client):
    entry = EntryFactory()
    blog = entry.get_parent().specific
    blogger = entry.authors[0]

    for path in ("/", blog.url, entry.url, blogger.get_absolute_url()):
        assert og_site_name(client, path) == settings.SITE_NAME, path


@pytest.mark.parametrize("language", ["fr", "ar", "fa"])
def test_each_language_shows_its_own_network_name_in_header_title_and_og_site_name(
    client, language
):
    with translation.override("en"):
        entry_path = EntryFactory().url
    network_names_set(names=NAMES)
    name, description = NAMES[language]

    home = page_html(client.get(f"/{language}/"))
    entry_page = page_html(client.get(f"/{language}{entry_path}"))

    assert visible_text(home.select_one(".site-header__name")) == name
    assert visible_text(home.title) == name
    assert og_site_name(client, f"/{language}/") == name
    assert og_site_name(client, f"/{language}{entry_path}") == name
    assert visible_text(entry_page.title).endswith(f" – {name}")
    assert home.find("meta", attrs={"name": "description"})["content"] == description


def test_a_language_without_a_name_shows_the_default_languages(client):
    EntryFactory()
    network_names_set(names={"en": NAMES["en"], "ar": NAMES["ar"]})

    page = page_html(client.get("/ru/"))

    assert visible_text(page.select_one(".site-header__name")) == "Embassy voices"
    assert visible_text(page.title) == "Embassy voices"


def test_a_changed_name_is_shown_at_once_on_a_page_already_cached(client):
    EntryFactory()
    network_names_set(names={"fr": ("Avant", "")})
    client.get("/fr/")

    network_names_set(names={"fr": ("Après", "")})
    page = page_html(client.get("/fr/"))

    assert visible_text(page.select_one(".site-header__name")) == "Après"


def test_search_page_and_network_feeds_carry_the_name_of_their_language(client):
    EntryFactory()
    network_names_set(names=NAMES)

    search = page_html(client.get("/ar/search/?q=entry"))
    feed = client.get("/fr/feed/rss/").content.decode()
    atom = client.get("/ar/feed/atom/").content.decode()

    assert visible_text(search.title).endswith(f" – {NAMES['ar'][0]}")
    assert f"<title>{NAMES['fr'][0]}</title>" in feed
    assert f"<title>{NAMES['ar'][0]}</title>" in atom
