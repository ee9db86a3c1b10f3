"""No untranslated interface string on the Arabic and Persian pages of the demo.

While the demo's pages render under /ar/ and /fa/, every message the interface looks up
(templates, forms, models, dates) is recorded; each must have a translation in that
language's catalogue (ours, Django's or Wagtail's). A string added to a template without a
translation fails here until `make messages` and a translator catch up.
"""

import gettext
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings
from django.utils import translation
from django.utils.translation import trans_real

from tests.core.demo_pages import demo_pages_build

pytestmark = pytest.mark.django_db

LOCALE = Path(__file__).resolve().parents[2] / "dragoman" / "locale"
LANGUAGES = ["fr", "es", "ar", "fa", "ru"]


class Recorder:
    """Wraps the translation functions and notes each (language, message) they look up."""

    def __init__(self) -> None:
        self.lookups: set[tuple[str, str, str | None]] = set()

    def wrap(self, name: str, original: Any) -> Any:
        def recorded(*args: Any) -> Any:
            language = translation.get_language() or ""
            if name == "gettext":
                self.lookups.add((language, args[0], None))
            elif name == "ngettext":
                self.lookups.add((language, args[0], args[1]))
            elif name == "pgettext":
                self.lookups.add((language, f"{args[0]}\x04{args[1]}", None))
            elif name == "npgettext":
                self.lookups.add((language, f"{args[0]}\x04{args[1]}", args[2]))
            return original(*args)

        return recorded


def country_names() -> set[str]:
    """The names of countries as django-countries writes them in English: its own catalogues
    translate them (the campaign form lists them all), some in fewer languages than ours."""
    from django_countries import countries
    from django_countries.data import COUNTRIES

    with translation.override(None):
        return {str(name) for name in COUNTRIES.values()} | {str(c.name) for c in countries}


def untranslated(lookups: set[tuple[str, str, str | None]], language: str) -> list[str]:
    catalog = trans_real.translation(language)._catalog
    missing = []
    countries = country_names()
    for looked_up_in, message, plural in lookups:
        if looked_up_in != language or not message.strip() or message in countries:
            continue
        key = (message, 0) if plural is not None else message
        if not catalog.get(key):
            missing.append(message)
    return sorted(missing)


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker) -> Iterator[dict[str, Any]]:
    """The demo's reading pages rendered in Arabic and Persian, with the messages looked up."""
    recorder = Recorder()
    real = translation._trans
    with django_db_blocker.unblock(), override_settings(DRAGOMAN_PAGE_CACHE=False):
        with transaction.atomic():
            cache.clear()
            paths = {
                name: path
                for name, path in demo_pages_build().items()
                if not path.startswith(("/ar/", "/fa/"))
            }
            names = ("gettext", "ngettext", "pgettext", "npgettext")
            originals = {name: getattr(real, name) for name in names}
            pages: dict[str, str] = {}
            try:
                for name in names:
                    setattr(real, name, recorder.wrap(name, originals[name]))
                client = Client()
                for language in ("ar", "fa"):
                    for name, path in paths.items():
                        response = client.get(f"/{language}{path}")
                        assert response.status_code == 200, (language, name, path)
                        pages[f"{language} {name}"] = response.content.decode()
            finally:
                for name in names:
                    setattr(real, name, originals[name])
            transaction.set_rollback(True)
        cache.clear()
    yield {"pages": pages, "lookups": recorder.lookups}


@pytest.mark.parametrize("language", ["ar", "fa"])
def test_every_interface_string_on_the_demo_pages_is_translated(rendered, language):
    assert untranslated(rendered["lookups"], language) == []


@pytest.mark.parametrize("language", ["ar", "fa"])
def test_demo_pages_were_really_rendered_in_that_language(rendered, language):
    looked_up = {message for code, message, _plural in rendered["lookups"] if code == language}

    assert "Skip to content" in looked_up
    assert 'Posted <time datetime="%(iso)s">%(date)s</time>%(solar)s by' in looked_up


@pytest.mark.parametrize(
    "label",
    ["Skip to content", ">Blogs<", ">Bloggers<", ">Tags<", ">Archive<", "RSS feed", "Posted "],
)
def test_arabic_and_persian_pages_show_no_english_navigation(rendered, label):
    showing = [name for name, html in rendered["pages"].items() if label in html]

    assert showing == []


def test_arabic_home_page_shows_the_arabic_navigation(rendered):
    home = rendered["pages"]["ar home"]

    assert '<html lang="ar" dir="rtl">' in home
    assert ">المدونات</a>" in home
    assert "انتقل إلى المحتوى" in home


def catalog_entries(language: str) -> list[tuple[str, list[str]]]:
    """(msgid, msgstrs) of each entry of our catalogue, read without any gettext library."""
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = []
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#")]
        fields: dict[str, list[str]] = {}
        current = ""
        for line in lines:
            if line.startswith(("msgid", "msgstr", "msgctxt")):
                current, _space, value = line.partition(" ")
                fields.setdefault(current, []).append(value[1:-1])
            elif line.startswith('"') and current:
                fields[current][-1] += line[1:-1]
        if fields.get("msgid", [""])[0]:
            strings = [
                value
                for key, values in fields.items()
                if key.startswith("msgstr")
                for value in values
            ]
            entries.append((fields["msgid"][0], strings))
    return entries


def unescape(po_string: str) -> str:
    """A .po string's C escapes (\\n, \\") resolved, as msgfmt does."""
    return po_string.encode().decode("unicode_escape").encode("latin-1").decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_translates_every_message(language):
    entries = catalog_entries(language)

    empty = [msgid for msgid, strings in entries if not all(strings)]

    assert len(entries) > 300
    assert empty == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_holds_every_message_of_the_source(language):
    """The .mo that Django reads is the .po compiled (`make messages` after any change)."""
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    with po.with_suffix(".mo").open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]

    messages = [unescape(msgid) for msgid, _strings in catalog_entries(language)]

    missing = [text for text in messages if text not in catalog and (text, 0) not in catalog]

    assert missing == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_gives_every_plural_all_the_forms_of_its_language(language):
    """Russian counts in three forms and Arabic in six: a plural with fewer shows English."""
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    forms = int(text.split("nplurals=", 1)[1].split(";", 1)[0])
    short = []
    for block in text.split("\n\n"):
        if "\nmsgid_plural " not in f"\n{block}":
            continue
        given = {line.split(" ", 1)[0] for line in block.splitlines() if line.startswith("msgstr[")}
        if given != {f"msgstr[{number}]" for number in range(forms)}:
            short.append(block.split("msgid ", 1)[1].splitlines()[0])

    assert short == []
