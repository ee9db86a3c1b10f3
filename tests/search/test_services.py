"""The index stays in step with publishing: what readers may read, and nothing else."""

from io import StringIO

from django.core.management import call_command
from wagtail.models import Page

from dragoman.blogs.services import blogger_create
from dragoman.search.models import EntryDocument
from tests.factories import BlogFactory, BloggerFactory, EntryFactory

from .pages import result_titles


def test_published_entry_is_found(client, db):
    EntryFactory(title="Cultural season opens", summary="Concerts and films all autumn.")

    assert result_titles(client, q="concerts") == ["Cultural season opens"]


def test_draft_entry_never_appears(client, db):
    EntryFactory(title="Secret draft about concerts", live=False)

    assert result_titles(client, q="concerts") == []
    assert not EntryDocument.objects.exists()


def test_unpublished_entry_is_gone_at_once(client, db):
    entry = EntryFactory(title="Cultural season opens", summary="Concerts and films all autumn.")
    assert result_titles(client, q="concerts") == ["Cultural season opens"]

    entry.unpublish()

    assert result_titles(client, q="concerts") == []
    assert result_titles(client, blog=entry.get_parent().slug) == []


def test_deleted_entry_is_gone(client, db):
    entry = EntryFactory(title="Cultural season opens", summary="Concerts and films all autumn.")

    Page.objects.get(pk=entry.pk).delete()

    assert result_titles(client, q="concerts") == []
    assert not EntryDocument.objects.exists()


def test_entry_moved_to_another_blog_is_found_under_that_blog(client, db):
    entry = EntryFactory(title="Cultural season opens")
    other = BlogFactory(slug="other-blog")

    entry.move(other, pos="last-child")

    assert result_titles(client, q="cultural", blog="other-blog") == ["Cultural season opens"]


def test_renamed_blogger_is_found_by_the_new_name(client, db):
    blogger = BloggerFactory(display_name="Anna Berg")
    EntryFactory(title="Notes", blog=BlogFactory(bloggers=[blogger]))

    blogger.display_name = "Anna Lindqvist"
    blogger.save()

    assert result_titles(client, q="Lindqvist") == ["Notes"]


def test_entry_dated_in_the_future_waits_for_its_day(client, db):
    from datetime import timedelta

    from django.utils import timezone

    EntryFactory(
        title="Announcement of the new ambassador", date=timezone.now() + timedelta(days=2)
    )

    assert result_titles(client, q="ambassador") == []


def test_reindex_rebuilds_the_index_with_a_progress_bar(client, db):
    EntryFactory(title="Cultural season opens")
    EntryFactory(title="Trade fair", live=False)
    EntryDocument.objects.all().delete()
    output, progress = StringIO(), StringIO()

    call_command("reindex", stdout=output, stderr=progress)

    assert result_titles(client, q="cultural") == ["Cultural season opens"]
    assert output.getvalue().startswith("1 entries indexed")
    assert "100%" in progress.getvalue()


def test_blogger_without_entries_is_saved_without_error(db):
    blogger = blogger_create(display_name="New Person", slug="new-person", job_title="Attaché")

    assert blogger.pk


def test_an_entry_dated_in_the_future_is_indexed_when_its_day_comes(client, db, monkeypatch):
    from datetime import timedelta

    import django.utils.timezone
    from django.utils import timezone

    from dragoman.blogs.services import entries_came_due

    later = timezone.now() + timedelta(hours=2)
    entry = EntryFactory(title="New ambassador arrives", date=later - timedelta(hours=1))
    entries_came_due()  # remembers when it last looked
    assert not EntryDocument.objects.filter(entry_id=entry.pk).exists()

    monkeypatch.setattr(django.utils.timezone, "now", lambda: later)
    entries_came_due()

    assert EntryDocument.objects.filter(entry_id=entry.pk).exists()
    assert result_titles(client, q="ambassador") == ["New ambassador arrives"]


def test_a_blog_turning_private_leaves_the_search_and_returns_when_public(client, db):
    from wagtail.models import PageViewRestriction

    blog = BlogFactory()
    EntryFactory(blog=blog, title="Alumni evening", summary="Concerts for alumni.")

    restriction = PageViewRestriction.objects.create(
        page=blog, restriction_type=PageViewRestriction.LOGIN
    )
    assert not EntryDocument.objects.exists()
    assert result_titles(client, q="alumni") == []

    restriction.delete()
    assert result_titles(client, q="alumni") == ["Alumni evening"]
