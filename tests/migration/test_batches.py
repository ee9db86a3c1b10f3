"""Imports in batches: the copies (counts, search documents, footprints) made once per batch
are those a count from scratch gives, and a batch is one transaction."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from dragoman.blogs import counts
from dragoman.blogs import services as blog_services
from dragoman.blogs.models import EntryFootprint, EntryPage, MonthCount, TagCount
from dragoman.migration.wordpress import wordpress_import
from dragoman.search.models import EntryDocument, IndexedAuthor, IndexedTag
from dragoman.search.services import index_rebuild
from tests import factories
from tests.migration.exports import WxrComment, WxrPost, wxr_text

pytestmark = pytest.mark.django_db

TOPICS = ["water", "trade", "visas", "climate"]


def export(tmp_path: Path, count: int = 11) -> Path:
    """Entries over several months and tags, in every status, one that fails."""
    statuses = ["publish", "publish", "draft", "private", "future", "publish"]
    posts = []
    for number in range(1, count + 1):
        status = statuses[number % len(statuses)]
        year = 2099 if status == "future" else 2019 + number % 4
        posts.append(
            WxrPost(
                id=number,
                title=f"Entry {number}",
                content=f"About {TOPICS[number % 4]}.\n\nA second paragraph {number}.",
                slug=f"entry-{number}",
                status=status,
                date=f"{year}-{1 + number % 12:02d}-0{1 + number % 9} 10:00:00",
                tags=[TOPICS[number % 4], TOPICS[(number + 1) % 4]],
                categories=["News"] if number % 3 else [],
                comments=[WxrComment(id=number * 10, content=f"Comment on {number}")],
                # Entry 5 has no author the export knows: rolled back alone, mid-batch.
                creator="" if number == 5 else "ana",
            )
        )
    path = tmp_path / "export.xml"
    path.write_text(wxr_text(posts), encoding="utf-8")
    return path


def copies() -> dict[str, set[tuple]]:
    documents = EntryDocument.objects.values_list(
        "entry_id", "blog_id", "date", "title", "summary", "body", "tags", "authors", "tag_slugs"
    )
    return {
        "tag counts": set(TagCount.objects.values_list("tag__slug", "blog_id", "entries")),
        "month counts": set(MonthCount.objects.values_list("month", "blog_id", "entries")),
        "documents": set(documents),
        "indexed tags": set(IndexedTag.objects.values_list("document_id", "slug")),
        "indexed authors": set(IndexedAuthor.objects.values_list("document_id", "blogger_id")),
    }


@pytest.mark.parametrize("batch_size", [4, 100])
def test_copies_after_a_batched_import_are_those_counted_from_scratch(tmp_path, batch_size):
    report = wordpress_import(path=export(tmp_path), batch_size=batch_size)
    after_import = copies()

    changed = counts.rebuild()
    index_rebuild()

    assert report.imported == 10 and len(report.failed) == 1
    assert changed is False
    assert copies() == after_import
    # Not empty: the public entries are all there (two tags each, "News" on three),
    # drafts, private and future ones not.
    visible = set(EntryPage.objects.visible().values_list("pk", flat=True))
    assert len(visible) == 4
    assert {row[0] for row in after_import["documents"]} == visible
    assert sum(n for _tag, blog, n in after_import["tag counts"] if blog is None) == 11
    # Every entry's footprint is recorded, as the one path records it.
    live = set(EntryPage.objects.live().values_list("pk", flat=True))
    assert set(EntryFootprint.objects.values_list("entry_id", flat=True)) == live


def test_a_batched_import_gives_the_same_copies_as_one_by_one(tmp_path):
    wordpress_import(path=export(tmp_path), batch_size=1)
    one_by_one = copies()
    # The same export again, into the same (cleared) network, in batches.
    EntryPage.objects.all().delete()
    from dragoman.migration.models import SourceItem

    SourceItem.objects.all().delete()
    blog_services.listing_counts_rebuild()
    index_rebuild()
    wordpress_import(path=export(tmp_path), batch_size=4)
    batched = copies()

    def without_ids(found: dict[str, set[tuple]]) -> dict[str, object]:
        return {
            "tag counts": sorted((t, n) for t, _b, n in found["tag counts"]),
            "month counts": sorted((m, n) for m, _b, n in found["month counts"]),
            "documents": sorted(row[2:] for row in found["documents"]),
        }

    assert without_ids(batched) == without_ids(one_by_one)


def test_a_batch_that_fails_leaves_neither_entries_nor_copies():
    blog = factories.BlogFactory()
    blogger = factories.BloggerFactory()

    with pytest.raises(RuntimeError), blog_services.entries_batch():
        blog_services.entry_create(
            blog=blog,
            title="Never seen",
            summary="s",
            body=[("paragraph", "<p>x</p>")],
            authors=[blogger],
            date=timezone.now(),
            tags=["lost"],
        )
        raise RuntimeError("the process stopped")

    assert not EntryPage.objects.filter(title="Never seen").exists()
    assert not EntryFootprint.objects.exists() and not EntryDocument.objects.exists()
    assert not TagCount.objects.filter(tag__slug="lost").exists()
    assert not blog_services.in_entries_batch()
