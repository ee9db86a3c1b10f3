"""A Dragoman archive (``dragoman export``) imported again: `dragoman import-archive`.

The archive's entries keep their blocks as they were; their images come from the archive's
``media/`` folder. Bloggers, blogs and entries keep their slugs, so the pages keep their
addresses. The format is described in ``docs/export-format.md``.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from dragoman.blogs.models import BlogPage
from dragoman.blogs.services import section_privacy_changed
from dragoman.conversations.services import (
    blog_conversation_settings_set,
    conversation_settings_changed,
)

from . import export
from .media import MediaLibrary
from .report import Report
from .services import (
    BATCH_SIZE,
    Importer,
    SourceComment,
    SourceEntry,
    SourcePerson,
    batched,
    import_transaction,
    progress,
)


class ArchiveUnreadable(Exception):
    """The folder is not a Dragoman archive this version reads; the message says why."""


def archive_read(folder: Path) -> dict[str, Any]:
    path = folder / "archive.json"
    if not path.is_file():
        raise ArchiveUnreadable(f"{folder} has no archive.json: is it a Dragoman export?")
    try:
        archive = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise ArchiveUnreadable(f"archive.json is not valid JSON: {error}.") from error
    if not isinstance(archive, dict) or archive.get("format") != export.FORMAT:
        raise ArchiveUnreadable("archive.json is not a Dragoman archive (its format field).")
    if archive.get("version") != export.FORMAT_VERSION:
        raise ArchiveUnreadable(
            f"archive.json is version {archive.get('version')}; this Dragoman reads version "
            f"{export.FORMAT_VERSION}."
        )
    return archive


def _date(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def source_entry(row: dict[str, Any]) -> SourceEntry:
    comments = [
        SourceComment(
            source_id=str(comment["id"]),
            parent_id=str(comment["parent"] or 0),
            name=comment["name"],
            body=comment["body"],
            date=_date(comment.get("created_at")),
            published=_date(comment.get("published_at")),
            approved=comment["status"] == "approved",
            official=bool(comment.get("official")),
            job_title=comment.get("job_title", ""),
        )
        for comment in row.get("comments", [])
    ]
    date = _date(row["date"])
    assert date is not None
    return SourceEntry(
        source_id=str(row["id"]),
        title=row["title"],
        slug=row["slug"],
        date=date,
        status=row["status"],
        author_keys=list(row["authors"]),
        blocks=[(block["type"], block["value"]) for block in row["body"]],
        summary=row.get("summary", ""),
        tags=list(row.get("tags", [])),
        comments=comments,
        language=row.get("language", ""),
        comments_open=row.get("comments_open", True),
    )


def blog_restrict_to_groups(blog: BlogPage, names: list[str]) -> None:
    """A members-only blog stays members-only: restricted to groups of the same names (made
    empty when missing, so that nobody but an administrator reads it until they are filled)."""
    groups = [Group.objects.get_or_create(name=name[:150])[0] for name in names]
    PageViewRestriction.objects.filter(page=blog).delete()
    restriction = PageViewRestriction.objects.create(
        page=blog, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set(groups)
    section_privacy_changed(page=blog)


def archive_import(
    *,
    folder: Path,
    dry_run: bool = False,
    show_progress: bool = False,
    batch_size: int = BATCH_SIZE,
) -> Report:
    """Import an archive; its entries in batches, as the WordPress and Ghost imports do
    (``batch_size`` 1: each entry on its own, as an editor's change)."""
    archive = archive_read(folder)
    source = f"dragoman:{archive.get('base_url', '')}"[:255]
    report = Report(dry_run=dry_run)
    media = MediaLibrary(source=source, folder=folder, dry_run=dry_run)
    importer = Importer(source=source, report=report, media=media, dry_run=dry_run)
    with import_transaction(dry_run=dry_run):
        for row in archive["bloggers"]:
            importer.blogger_for(
                SourcePerson(
                    key=row["slug"],
                    slug=row["slug"],
                    display_name=row["display_name"],
                    job_title=row.get("job_title", ""),
                    bio=row.get("bio", ""),
                    photo=row.get("photo") or "",
                    mission=row.get("mission") or "",
                )
            )
        blogs = {}
        for row in archive["blogs"]:
            blogs[row["slug"]] = importer.blog_ensure(
                slug=row["slug"],
                title=row["title"],
                description=row["description"],
                key=row["slug"],
                blogger_keys=row.get("bloggers", []),
                top_image=row.get("top_image") or "",
                mission=row.get("mission") or "",
                language=row.get("language", ""),
            )
            if row.get("restricted_to_groups"):
                blog_restrict_to_groups(blogs[row["slug"]], row["restricted_to_groups"])
            if row.get("conversations"):
                blog_conversation_settings_set(
                    blog=blogs[row["slug"]],
                    mode=row["conversations"].get("mode"),
                    close_after_days=row["conversations"].get("close_after_days"),
                )
                conversation_settings_changed()
        entries = archive["entries"]
        rows = batched(entries, size=batch_size)
        for row in progress(rows, total=len(entries), show=show_progress, what="entries"):
            importer.blog = blogs[row["blog"]]
            importer.entry_import(source_entry(row))
        links = [row for row in entries if row.get("translation_of")]
        for row in batched(links, size=batch_size):
            importer.translation_link(
                entry_id=str(row["id"]), original_id=str(row["translation_of"])
            )
    report.images = media.created
    report.missing_media.update(media.missing)
    return report
