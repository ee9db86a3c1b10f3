"""An entry created inside a batch (an import) is written live in one save: what it leaves is
what Wagtail's own path (tree insert, first revision, publication) leaves, field by field;
the admin opens, edits and publishes it; its history says created, edited, published; the
copies made at the batch's end are those counted from scratch."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from taggit.models import Tag
from wagtail.models import Page, PageLogEntry

from dragoman.blogs import footprints
from dragoman.blogs import services as blog_services
from dragoman.blogs.announcements import EntriesChanged, EntryChanged
from dragoman.blogs.models import EntryAuthor, EntryFootprint, EntryPage, EntryTag
from dragoman.core.changes import Moment, listen, unlisten
from dragoman.migration.archive import archive_import
from dragoman.migration.export import archive_write
from dragoman.migration.wordpress import wordpress_import
from dragoman.search.services import index_rebuild
from tests import factories
from tests.authoring.conftest import entry_form_data
from tests.blogs.counting import counts_from_the_rule, counts_kept
from tests.migration.test_batches import copies, export
from tests.migration.test_export import empty_the_network

pytestmark = pytest.mark.django_db

DATE = datetime.fromisoformat("2019-03-04T10:00:00+00:00")
# What differs between two entries made one after the other, whichever the path.
MOMENTS = {
    "pk",
    "id",
    "path",
    "url_path",
    "slug",
    "first_published_at",
    "last_published_at",
    "latest_revision_created_at",
    "latest_revision",
    "live_revision",
    "translation_key",
}


def create(blog: Any, blogger: Any, *, publish: bool, title: str) -> EntryPage:
    return blog_services.entry_create(
        blog=blog,
        title=title,
        summary="About water.",
        body=[
            ("paragraph", "<p>About water.</p>"),
            ("heading", {"text": "Agreed", "level": "h2"}),
        ],
        authors=[blogger],
        date=DATE,
        tags=["water", "trade"],
        publish=publish,
        slug="same",
    )


def plain(data: dict[str, Any]) -> dict[str, Any]:
    """A page's serialised fields without ids, moments and its blocks' random ids."""
    data = {k: v for k, v in data.items() if k not in MOMENTS}
    for relation in ("entry_authors", "tagged_items"):
        data[relation] = [
            {k: v for k, v in row.items() if k not in {"pk", "id", "content_object", "entry"}}
            for row in data[relation]
        ]
    # Tags by name: a tag made in the rolled-back path has another id on PostgreSQL, whose
    # sequences do not roll back.
    names = dict(Tag.objects.values_list("pk", "name"))
    for row in data["tagged_items"]:
        row["tag"] = names[row["tag"]]
    data["body"] = [
        {k: v for k, v in block.items() if k != "id"} for block in json.loads(data["body"])
    ]
    return data


def left_by(entry_id: int) -> dict[str, Any]:
    """Everything the creation wrote about the entry, without ids and moments."""
    entry = EntryPage.objects.get(pk=entry_id)
    page = plain(entry.serializable_data())
    revisions = list(entry.revisions.order_by("created_at"))
    contents = [
        (plain(revision.content), revision.object_str, revision.user_id) for revision in revisions
    ]
    logs = [
        (log.action, log.content_changed, log.revision_id is not None, log.user_id, log.label)
        for log in PageLogEntry.objects.filter(page_id=entry_id).order_by("timestamp", "pk")
    ]
    return {
        "page": page,
        "depth": entry.depth,
        "url ends": entry.url_path.rsplit("/", 2)[-2].startswith("same"),
        "first published": entry.first_published_at is not None,
        "published together": entry.first_published_at == entry.last_published_at,
        "latest revision": entry.latest_revision_id == (revisions[-1].pk if revisions else None),
        "live revision": entry.live_revision_id,
        "revisions": contents,
        "history": logs,
        "tag copies": sorted(
            EntryTag.objects.filter(content_object_id=entry_id).values_list(
                "tag__slug", "entry_live", "entry_date"
            )
        ),
        "credit copies": sorted(
            EntryAuthor.objects.filter(entry_id=entry_id).values_list(
                "blogger__slug", "entry_live", "entry_date"
            )
        ),
        "footprint": footprints.recorded(entry_id),
    }


def without_ids(found: dict[str, Any]) -> dict[str, Any]:
    footprint = found["footprint"]
    if footprint is not None:
        footprint.entry_id = footprint.path = footprint.url_path = None
    return {**found, "live revision": found["live revision"] is not None}


@pytest.mark.parametrize("publish", [True, False], ids=["published", "draft"])
def test_an_entry_made_in_a_batch_is_what_wagtails_own_path_makes(publish):
    blog, blogger = factories.BlogFactory(), factories.BloggerFactory()
    with transaction.atomic():
        wagtails = left_by(create(blog, blogger, publish=publish, title="Water").pk)
        transaction.set_rollback(True)

    with blog_services.entries_batch():
        entry = create(blog, blogger, publish=publish, title="Water")
    fast = left_by(entry.pk)

    fast_left, wagtails_left = without_ids(fast), without_ids(wagtails)
    for name in ("page", "revisions"):  # field by field, for a readable difference
        ours, theirs = fast_left.pop(name), wagtails_left.pop(name)
        if name == "revisions":
            assert len(ours) == len(theirs) == 1
            assert ours[0][1:] == theirs[0][1:]
            ours, theirs = ours[0][0], theirs[0][0]
        assert ours.keys() == theirs.keys()
        assert {k: v for k, v in ours.items() if theirs[k] != v} == {
            k: v for k, v in theirs.items() if ours[k] != v
        }, name
    assert fast_left == wagtails_left
    # Not vacuous: the history and the copies are there.
    actions = [row[0] for row in fast["history"]]
    if publish:
        assert actions == ["wagtail.create", "wagtail.edit", "wagtail.publish"]
        assert fast["live revision"] == entry.latest_revision_id
        assert {row[1] for row in fast["tag copies"]} == {True}
    else:
        assert actions == ["wagtail.create", "wagtail.edit"]
        assert fast["live revision"] is None
    # The object handed back is the one in the database.
    stored = EntryPage.objects.get(pk=entry.pk)
    for name in ("live", "has_unpublished_changes", "latest_revision_id", "live_revision_id"):
        assert getattr(entry, name) == getattr(stored, name), name
    assert entry.first_published_at == stored.first_published_at
    assert entry.blog_id == blog.pk == stored.blog_id


def test_the_tree_stays_sound_after_a_batched_import(tmp_path: Path):
    wordpress_import(path=export(tmp_path), batch_size=4)

    assert Page.find_problems() == ([], [], [], [], [])
    for entry in EntryPage.objects.all():
        assert entry.url_path == entry.get_parent().url_path + entry.slug + "/"


def test_the_admin_opens_edits_and_publishes_an_imported_entry(client, django_user_model):
    blog, blogger = factories.BlogFactory(), factories.BloggerFactory()
    with blog_services.entries_batch():
        entry = create(blog, blogger, publish=True, title="Imported water")
    admin = django_user_model.objects.create_superuser("editor", "e@example.org", "pw-12345!")
    client.force_login(admin)

    edit = client.get(reverse("wagtailadmin_pages:edit", args=(entry.pk,)))
    history = client.get(reverse("wagtailadmin_pages:history", args=(entry.pk,)))
    revision = client.get(
        reverse("wagtailadmin_pages:revisions_view", args=(entry.pk, entry.latest_revision_id))
    )

    assert edit.status_code == 200 and "Imported water" in edit.content.decode()
    assert history.status_code == 200 and "Published" in history.content.decode()
    assert revision.status_code == 200 and "About water." in revision.content.decode()

    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(entry.pk,)),
        entry_form_data(
            title="Imported water, edited",
            blogger=blogger,
            credit_id=entry.entry_authors.get().pk,
            slug=entry.slug,
            **{"action-publish": "1"},
        ),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    entry.refresh_from_db()
    assert entry.title == "Imported water, edited" and entry.live
    assert not entry.has_unpublished_changes
    assert entry.revisions.count() == 2
    assert PageLogEntry.objects.filter(page=entry, action="wagtail.publish").count() == 2


def assert_copies_are_those_counted_from_scratch() -> None:
    visible = set(EntryPage.objects.visible().values_list("pk", flat=True))
    assert visible  # not vacuous
    assert counts_kept() == counts_from_the_rule()
    for tagging in EntryTag.objects.select_related("content_object"):
        entry = tagging.content_object
        assert (tagging.entry_live, tagging.entry_date) == (entry.live, entry.date)
    for credit in EntryAuthor.objects.select_related("entry"):
        assert (credit.entry_live, credit.entry_date) == (credit.entry.live, credit.entry.date)
    # Each footprint is the one the one path records, entry by entry.
    for row in EntryFootprint.objects.all():
        assert footprints.recorded(row.entry_id) == footprints.current(row.entry_id)
    live = set(EntryPage.objects.live().values_list("pk", flat=True))
    assert set(EntryFootprint.objects.values_list("entry_id", flat=True)) == live
    before = copies()
    index_rebuild()
    assert copies() == before


def test_copies_after_a_batched_import_are_counted_from_scratch(tmp_path: Path):
    wordpress_import(path=export(tmp_path, count=13), batch_size=5)

    assert_copies_are_those_counted_from_scratch()


def test_a_batched_import_announces_history_not_news(tmp_path: Path):
    """Imported entries are history: no ``EntryChanged`` (the one subscribers are emailed
    and followers sent), one ``EntriesChanged`` per batch naming every published entry."""
    heard: list[Any] = []
    listen(EntryChanged, heard.append, moment=Moment.IN_TRANSACTION)
    listen(EntriesChanged, heard.append, moment=Moment.IN_TRANSACTION)
    try:
        wordpress_import(path=export(tmp_path), batch_size=4)
    finally:
        unlisten(heard.append)

    assert all(isinstance(item, EntriesChanged) for item in heard)
    assert len(heard) == 3  # 11 entries, 4 a batch
    named = {pk for item in heard for pk in item.entry_ids}
    # The published ones (a draft shows nowhere yet).
    assert named == set(EntryPage.objects.live().values_list("pk", flat=True))


def test_an_archive_imported_in_batches_gives_the_same_entries_and_copies(tmp_path: Path):
    wordpress_import(path=export(tmp_path), batch_size=4)
    folder = tmp_path / "archive"
    archive_write(folder=folder)
    entries = {
        entry.slug: (entry.title, entry.live, entry.date, sorted(t.name for t in entry.tags.all()))
        for entry in EntryPage.objects.all()
    }
    assert entries
    # An empty network takes the archive back, in batches of three.
    empty_the_network()

    report = archive_import(folder=folder, batch_size=3)

    assert report.imported == len(entries) and not report.failed
    assert {
        entry.slug: (entry.title, entry.live, entry.date, sorted(t.name for t in entry.tags.all()))
        for entry in EntryPage.objects.all()
    } == entries
    assert Page.find_problems() == ([], [], [], [], [])
    assert_copies_are_those_counted_from_scratch()
