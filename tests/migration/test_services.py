from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model

from dragoman.blogs import services as blog_services
from dragoman.blogs.models import EntryPage
from dragoman.migration.media import MediaLibrary
from dragoman.migration.report import Report
from dragoman.migration.services import (
    Importer,
    SourceComment,
    SourceEntry,
    SourcePerson,
    content_language,
)

pytestmark = pytest.mark.django_db


def importer(report: Report | None = None) -> Importer:
    return Importer(
        source="test:site", report=report or Report(), media=MediaLibrary(source="test:site")
    )


def entry(**kwargs) -> SourceEntry:
    values = dict(
        source_id="1",
        title="Hello",
        slug="hello",
        date=datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC),
        status="published",
        author_keys=["ana"],
        body_html="<p>Hello world.</p>",
    )
    values.update(kwargs)
    return SourceEntry(**values)


def test_an_author_whose_email_has_an_account_is_its_blogger():
    user = get_user_model().objects.create_user("ana", "ana@example.org")
    blogger = blog_services.blogger_create(
        display_name="Ana", slug="ana", job_title="Consul", user=user
    )

    found = importer().blogger_for(SourcePerson(key="x", display_name="A", email="ANA@example.org"))

    assert found == blogger


def test_an_entry_without_a_summary_takes_its_first_sentences():
    run = importer()
    run.blogger_for(SourcePerson(key="ana", display_name="Ana"))
    run.blog_ensure(slug=None, title="Old blog", description="")

    run.entry_import(entry())

    assert EntryPage.objects.get().summary == "Hello world."


def test_a_reply_to_a_reply_answers_the_first_comment_of_its_thread():
    run = importer()
    run.blogger_for(SourcePerson(key="ana", display_name="Ana"))
    run.blog_ensure(slug=None, title="Old blog", description="")
    date = datetime(2020, 1, 3, tzinfo=UTC)
    comments = [
        SourceComment(
            source_id="1", parent_id="0", name="R", body="First", date=date, approved=True
        ),
        SourceComment(
            source_id="2", parent_id="1", name="S", body="Second", date=date, approved=True
        ),
        SourceComment(
            source_id="3",
            parent_id="2",
            name="Ana",
            body="Ours",
            date=date,
            approved=True,
            author_key="ana",
        ),
    ]

    run.entry_import(entry(comments=comments))

    page = EntryPage.objects.get()
    first = page.comments.get(body="First")
    assert page.comments.get(body="Ours").parent == first
    assert page.comments.get(body="@R: Second").parent is None


@pytest.mark.parametrize(
    ("given", "expected"), [("en-GB", "en"), ("fr_FR", "fr"), ("xx", "en"), ("", "en")]
)
def test_a_site_language_becomes_a_content_language(given, expected):
    assert content_language(given) == expected
