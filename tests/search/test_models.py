"""What the search index holds of a published entry, as the engines read it."""

from datetime import UTC, datetime

import pytest
from wagtail.models import Page

from dragoman.blogs.models import BlogPage, EntryPage
from dragoman.search.models import EntryDocument, IndexedAuthor, IndexedTag
from tests.factories import BlogFactory, BloggerFactory, EntryFactory, MissionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    amman = MissionFactory(country_code="jo")
    amira = BloggerFactory(display_name="Amira Haddad")
    zainab = BloggerFactory(display_name="Zainab Okafor")
    blog = BlogFactory(mission=amman, bloggers=[amira, zainab])
    return EntryFactory(
        blog=blog,
        title="Water for the valley",
        summary="A new\n pipeline.",
        language="ar",
        tags=["water", "Jordan valley"],
        authors=[zainab, amira],
        date=datetime(2024, 3, 10, 12, tzinfo=UTC),
    )


def test_a_published_entry_has_one_document_with_its_blog_mission_and_language(entry):
    document = EntryDocument.objects.get()

    assert document.entry_id == entry.pk
    assert document.blog_id == entry.get_parent().pk
    assert document.mission_id == BlogPage.objects.get(pk=document.blog_id).mission_id
    assert document.country_code == "JO"
    assert (document.language, document.year) == ("ar", 2024)
    assert str(document) == "Water for the valley"


def test_a_document_holds_plain_text_tags_and_authors(entry):
    document = EntryDocument.objects.get()

    assert document.summary == "A new pipeline."
    assert set(document.tag_slugs.split()) == {"water", "jordan-valley"}
    assert document.authors == "Zainab Okafor Amira Haddad"


def test_a_documents_tags_and_authors_have_rows_of_their_own(entry):
    document = EntryDocument.objects.get()

    assert {(row.slug, row.name) for row in document.tag_rows.all()} == {
        ("water", "water"),
        ("jordan-valley", "Jordan valley"),
    }
    assert {row.blogger.display_name for row in document.author_rows.select_related("blogger")} == {
        "Amira Haddad",
        "Zainab Okafor",
    }
    assert str(document.tag_rows.get(slug="water")) == "water"


def test_a_draft_has_no_document(db):
    EntryFactory(live=False)

    assert not EntryDocument.objects.exists()


def test_deleting_an_entry_is_never_blocked_by_its_document_and_takes_its_rows_along(entry):
    Page.objects.get(pk=entry.pk).delete()

    assert not EntryPage.objects.filter(pk=entry.pk).exists()
    assert not EntryDocument.objects.exists()
    assert not IndexedTag.objects.exists()
    assert not IndexedAuthor.objects.exists()
