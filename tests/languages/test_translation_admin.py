"""Editors see which entries lack a translation and start one from the entry."""

import pytest

from dragoman.blogs.models import EntryPage
from tests.factories import EntryFactory

pytestmark = pytest.mark.django_db


def test_entry_page_in_the_admin_offers_a_translate_action(admin_client):
    entry = EntryFactory(title="Water, one bucket at a time")

    page = admin_client.get(f"/admin/pages/{entry.pk}/edit/").content.decode()

    assert f"/admin/entries/{entry.pk}/translate/" in page


def test_translate_form_offers_only_languages_the_entry_lacks(admin_client):
    entry = EntryFactory(language="en")

    page = admin_client.get(f"/admin/entries/{entry.pk}/translate/").content.decode()

    assert '<option value="ar">Arabic</option>' in page
    assert '<option value="en">' not in page


def test_translating_creates_a_linked_draft_and_opens_it_for_editing(admin_client):
    entry = EntryFactory(language="en")

    response = admin_client.post(f"/admin/entries/{entry.pk}/translate/", {"language": "ar"})

    draft = EntryPage.objects.get(translation_of=entry)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{draft.pk}/edit/"
    assert draft.language == "ar"
    assert not draft.live


def test_translating_into_a_language_the_group_has_is_refused_with_a_message(admin_client):
    entry = EntryFactory(language="en")

    response = admin_client.post(f"/admin/entries/{entry.pk}/translate/", {"language": "en"})

    assert response.status_code == 400
    assert "already has a version in this language" in response.content.decode()


def test_report_lists_entries_lacking_a_translation_in_the_chosen_language(admin_client):
    translated = EntryFactory(title="Translated into Arabic", language="en")
    EntryFactory(title="Only in English", language="en")
    admin_client.post(f"/admin/entries/{translated.pk}/translate/", {"language": "ar"})

    page = admin_client.get("/admin/entries/translations-missing/?language=ar").content.decode()

    assert "Only in English" in page
    assert "Translated into Arabic" not in page


def test_report_refuses_an_unknown_language(admin_client):
    response = admin_client.get("/admin/entries/translations-missing/?language=xx")

    assert response.status_code == 400
    assert "Unknown language." in response.content.decode()


def test_report_is_in_the_reports_menu(admin_client):
    page = admin_client.get("/admin/").content.decode()

    assert "/admin/entries/translations-missing/" in page
