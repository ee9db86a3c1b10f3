"""Every write to the search index: entries in, entries out, a full rebuild.

The index holds exactly the entries the public may see (`EntryPage.objects.visible()`, the one
rule). It listens to the blogs' announcements inside their transaction (``apps.py``):
publishing an entry indexes it in the same transaction (so a rolled-back publication leaves
no trace); unpublishing or deleting removes it at once; an entry dated in the future joins
when its date comes (`dragoman publish-scheduled`), a blog's entries leave or join when it
turns private or public. `dragoman reindex` rebuilds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from html import unescape as unescape_entities
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

from dragoman.blogs.announcements import (
    BlogChanged,
    BloggerChanged,
    EntriesChanged,
    EntryChanged,
    SectionPrivacyChanged,
)
from dragoman.blogs.models import Blogger, BlogPage, EntryAuthor, EntryPage, EntryTag

from .engines import get_engine
from .engines.postgres import text_search_config
from .engines.sqlite import document_filter_words
from .models import EntryDocument, IndexedAuthor, IndexedTag

# Rows written per batch by a rebuild: bounds memory whatever the size of the network.
REBUILD_BATCH_SIZE = 500


def plain_text(value: str) -> str:
    """Control characters out (the engines' highlight marks are two), in one line."""
    return " ".join(
        "".join(" " if ord(char) < 32 or char == "\x7f" else char for char in value or "").split()
    )


def html_text(value: str) -> str:
    """What a reader reads of rich text: markup out, entities decoded."""
    return plain_text(unescape_entities(strip_tags(value or "")))


def body_text(entry: EntryPage) -> str:
    """The readable words of an entry's body: headings, paragraphs, quotes, captions."""
    parts: list[str] = []
    for block in entry.body:
        value: Any = block.value
        if block.block_type == "heading":
            parts.append(value["text"])
        elif block.block_type == "paragraph":
            parts.append(value.source)
        elif block.block_type == "quote":
            parts += [value["quote"], value.get("attribution") or ""]
        elif block.block_type == "image":
            parts += [value.get("caption") or "", value.get("alt_text") or ""]
        elif block.block_type == "video":
            parts.append(value["title"])
    return html_text(" \n".join(part for part in parts if part))


def indexable_entries() -> Any:
    """The entries the public may see: the rule, `EntryPage.objects.visible()`."""
    return EntryPage.objects.visible()


def documents_write(entries: Sequence[EntryPage]) -> list[EntryDocument]:
    """(Re)write the documents of these entries, with their tags and authors."""
    if not entries:
        return []
    ids = [entry.pk for entry in entries]
    blogs = {
        blog.path: blog
        for blog in BlogPage.objects.filter(
            path__in={entry.path[: -EntryPage.steplen] for entry in entries}
        ).select_related("mission")
    }
    credits: dict[int, list[Blogger]] = {pk: [] for pk in ids}
    for credit in (
        EntryAuthor.objects.filter(entry_id__in=ids)
        .select_related("blogger")
        .order_by("sort_order")
    ):
        credits[credit.entry_id].append(credit.blogger)
    tags: dict[int, list[tuple[str, str]]] = {pk: [] for pk in ids}
    # In the order they were given, so that a document is the same however often it is
    # rewritten (PostgreSQL returns unordered rows in any order).
    tagged_rows = EntryTag.objects.filter(content_object_id__in=ids).select_related("tag")
    for tagged in tagged_rows.order_by("pk"):
        tags[tagged.content_object_id].append((tagged.tag.slug, tagged.tag.name))

    documents, tag_rows, author_rows = [], [], []
    for entry in entries:
        blog = blogs.get(entry.path[: -EntryPage.steplen])
        if blog is None:  # not under a blog: nowhere a reader could find it
            continue
        mission = blog.mission
        country_code = mission.country_code.upper() if mission else ""
        year = timezone.localtime(entry.date).year
        documents.append(
            EntryDocument(
                entry_id=entry.pk,
                blog_id=blog.pk,
                mission_id=mission.pk if mission else None,
                country_code=country_code,
                language=entry.language,
                date=entry.date,
                year=year,
                title=plain_text(entry.title),
                summary=plain_text(entry.summary),
                body=body_text(entry),
                tags=plain_text(" ".join(name for _slug, name in tags[entry.pk])),
                authors=plain_text(" ".join(b.display_name for b in credits[entry.pk])),
                tag_slugs=" ".join(slug for slug, _name in tags[entry.pk])[:1000],
                filter_words=document_filter_words(
                    language=entry.language,
                    year=year,
                    blog_id=blog.pk,
                    mission_id=mission.pk if mission else None,
                    country_code=country_code,
                    tag_slugs=[slug[:100] for slug, _name in tags[entry.pk]],
                    blogger_ids=[blogger.pk for blogger in credits[entry.pk]],
                ),
                text_config=text_search_config(entry.language),
            )
        )
        tag_rows += [
            IndexedTag(document_id=entry.pk, slug=slug[:100], name=name[:100])
            for slug, name in tags[entry.pk]
        ]
        author_rows += [
            IndexedAuthor(document_id=entry.pk, blogger_id=blogger.pk)
            for blogger in credits[entry.pk]
        ]
    documents_delete(ids)
    EntryDocument.objects.bulk_create(documents)
    IndexedTag.objects.bulk_create(tag_rows)
    IndexedAuthor.objects.bulk_create(author_rows)
    return documents


def documents_delete(entry_ids: Iterable[int]) -> None:
    ids = list(entry_ids)
    IndexedTag.objects.filter(document_id__in=ids)._raw_delete(IndexedTag.objects.db)  # type: ignore[attr-defined]
    IndexedAuthor.objects.filter(document_id__in=ids)._raw_delete(IndexedAuthor.objects.db)  # type: ignore[attr-defined]
    EntryDocument.objects.filter(entry_id__in=ids)._raw_delete(EntryDocument.objects.db)  # type: ignore[attr-defined]


@transaction.atomic
def entries_index(*, entry_ids: Iterable[int]) -> int:
    """Index these entries if the public may see them, remove them if not; how many indexed."""
    ids = list(entry_ids)
    entries = list(indexable_entries().filter(pk__in=ids))
    engine = get_engine()
    gone = set(ids) - {entry.pk for entry in entries}
    if gone:
        documents_delete(gone)
        engine.remove(gone)
    documents = documents_write(entries)
    if documents:
        engine.index(documents)
    return len(documents)


def entry_changed_index(announcement: EntryChanged) -> None:
    """Any change to an entry: its document written again if readers may find it, or
    taken out (unpublished, deleted, moved under a private section)."""
    entries_index(entry_ids=[announcement.entry_id])


def entries_changed_index(announcement: EntriesChanged) -> None:
    """A batch of entries (an import): their documents written together."""
    entries_index(entry_ids=announcement.entry_ids)


def blog_changed_index(announcement: BlogChanged) -> None:
    """A blog's entries again: its mission (and so their country) may have changed."""
    entries_index(
        entry_ids=EntryPage.objects.filter(blog_id=announcement.blog_id).values_list(
            "pk", flat=True
        )
    )


def blogger_changed_index(announcement: BloggerChanged) -> None:
    """A blogger's entries again: their name is indexed with each entry."""
    entries_index(
        entry_ids=EntryAuthor.objects.filter(blogger_id=announcement.blogger_id).values_list(
            "entry_id", flat=True
        )
    )


def section_privacy_changed_index(announcement: SectionPrivacyChanged) -> None:
    """The entries under a page that became private leave the index; made public, return."""
    entries_index(
        entry_ids=EntryPage.objects.filter(path__startswith=announcement.path).values_list(
            "pk", flat=True
        )
    )


def index_rebuild(
    *,
    batch_size: int = REBUILD_BATCH_SIZE,
    progress: Callable[[int], Any] | None = None,
) -> int:
    """Rebuild the whole index from the page tree; returns how many entries it holds.

    Each batch is its own transaction, so a rebuild of a large network never holds the
    database's write lock for long; searches meanwhile see a partial index.
    """
    engine = get_engine()
    with transaction.atomic():
        engine.clear()
        IndexedTag.objects.all()._raw_delete(IndexedTag.objects.db)  # type: ignore[attr-defined]
        IndexedAuthor.objects.all()._raw_delete(IndexedAuthor.objects.db)  # type: ignore[attr-defined]
        EntryDocument.objects.all()._raw_delete(EntryDocument.objects.db)  # type: ignore[attr-defined]
    ids = list(indexable_entries().order_by("pk").values_list("pk", flat=True))
    engine.load_begin()
    total = 0
    try:
        for start in range(0, len(ids), batch_size):
            batch = ids[start : start + batch_size]
            total += entries_index(entry_ids=batch)
            if progress is not None:
                progress(len(batch))
    finally:  # the load ends, whatever stopped it: the batches written are kept
        engine.rebuild()
    return total


def indexable_count() -> int:
    return indexable_entries().count()
