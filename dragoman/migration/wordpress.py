"""A WordPress export (WXR) imported onto a blog: `dragoman import-wordpress`.

Two passes over the file, each streamed: the first checks that the whole file can be read
(a broken file is refused before anything is written) and keeps the little the second
needs of it (authors, the attachments' addresses for galleries and featured images, how
many entries there are for the progress bar); the second imports entry after entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from django.utils import timezone

from . import wxr
from .bodies import comment_text
from .media import MediaLibrary
from .report import Report
from .services import (
    BATCH_SIZE,
    Importer,
    SourceComment,
    SourceEntry,
    SourcePerson,
    batched,
    content_language,
    import_transaction,
    progress,
)

STATUSES = {"publish": "published", "future": "scheduled", "private": "private"}
DRAFT_STATUSES = {"draft", "pending"}


@dataclass
class Attachment:
    url: str
    alt: str = ""
    caption: str = ""
    parent_id: str = ""


@dataclass
class Survey:
    """What the first pass keeps."""

    channel: wxr.Channel = field(default_factory=wxr.Channel)
    attachments: dict[str, Attachment] = field(default_factory=dict)
    posts: int = 0


def survey(path: Path) -> Survey:
    found = Survey()
    for element in wxr.read(path):
        if isinstance(element, wxr.Channel):
            found.channel = element
            continue
        if element.post_type == "attachment" and element.attachment_url:
            found.attachments[element.source_id] = Attachment(
                url=element.attachment_url,
                alt=element.meta.get("_wp_attachment_image_alt", ""),
                caption=wxr_text(element.excerpt),
                parent_id=element.parent_id,
            )
        elif element.post_type == "post":
            found.posts += 1
    return found


def wxr_text(html: str) -> str:
    from .bodies import text_of

    return text_of(html)


class WordPressImporter(Importer):
    def __init__(self, *, found: Survey, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.found = found
        self.current_post = ""

    def gallery(self, ids: list[str]) -> list[dict[str, str]]:
        if not ids:  # a [gallery] without ids shows the images attached to the entry
            ids = [
                key
                for key, attachment in self.found.attachments.items()
                if attachment.parent_id == self.current_post
            ]
        pictures = []
        for key in ids:
            attachment = self.found.attachments.get(key)
            if attachment is not None:
                pictures.append(
                    {"url": attachment.url, "alt": attachment.alt, "caption": attachment.caption}
                )
        return pictures


def source_entry(item: wxr.Item, found: Survey, authors_by_id: dict[str, str]) -> SourceEntry:
    status = STATUSES.get(item.status, "draft")
    date = item.date_gmt or timezone.now().astimezone(UTC).replace(microsecond=0)
    if status == "published" and date > timezone.now():
        status = "scheduled"
    author_keys = [item.creator] if item.creator else []
    author_emails = {
        found.channel.authors[key].email.lower()
        for key in author_keys
        if key in found.channel.authors and found.channel.authors[key].email
    }
    comments = []
    for comment in item.comments:
        by_author = ""
        if comment.user_id not in {"", "0"} and comment.user_id in authors_by_id:
            by_author = authors_by_id[comment.user_id]
        elif comment.email.lower() in author_emails:
            by_author = item.creator
        comments.append(
            SourceComment(
                source_id=comment.source_id,
                parent_id=comment.parent_id,
                name=comment.author,
                body=comment_text(comment.content),
                date=comment.date_gmt,
                approved=comment.approved == "1",
                email=comment.email,
                author_key=by_author if by_author in author_keys else "",
            )
        )
    feature = None
    thumbnail = found.attachments.get(item.meta.get("_thumbnail_id", ""))
    if thumbnail is not None:
        feature = {"src": thumbnail.url, "alt": thumbnail.alt, "caption": thumbnail.caption}
    old_paths = [f"/?p={item.source_id}"]
    if item.link:
        old_paths.append(item.link)
    return SourceEntry(
        source_id=item.source_id,
        title=item.title,
        slug=item.slug,
        date=date,
        status=status,
        author_keys=author_keys,
        body_html=item.content,
        summary=wxr_text(item.excerpt),
        tags=item.tags,
        password=item.password,
        comments=comments,
        old_paths=old_paths,
        feature_image=feature,
        comments_open=item.comment_status != "closed",
    )


SKIPPED_COMMENT_KINDS = {"pingback", "trackback"}


def wordpress_import(
    *,
    path: Path,
    blog_slug: str | None = None,
    media_folder: Path | None = None,
    fetch_media: bool = False,
    language: str | None = None,
    dry_run: bool = False,
    show_progress: bool = False,
    batch_size: int = BATCH_SIZE,
) -> Report:
    """Import a WordPress export; raises wxr.ExportUnreadable before writing anything if
    the file cannot be read to its end."""
    found = survey(path)
    channel = found.channel
    site = (channel.base_blog_url or channel.link or "").rstrip("/")
    source = f"wordpress:{site or path.name}"[:255]
    report = Report(dry_run=dry_run)
    media = MediaLibrary(source=source, folder=media_folder, fetch=fetch_media, dry_run=dry_run)
    importer = WordPressImporter(
        found=found,
        source=source,
        report=report,
        media=media,
        language=content_language(language or channel.language),
        dry_run=dry_run,
    )
    authors_by_id = {a.source_id: a.login for a in channel.authors.values() if a.source_id}
    with import_transaction(dry_run=dry_run):
        for author in channel.authors.values():
            name = author.display_name or f"{author.first_name} {author.last_name}".strip()
            importer.blogger_for(
                SourcePerson(
                    key=author.login, display_name=name or author.login, email=author.email
                ),
                site_title=channel.title,
            )
        importer.blog_ensure(
            slug=blog_slug, title=channel.title or "Imported blog", description=channel.description
        )
        items = (
            element
            for element in wxr.read(path)
            if isinstance(element, wxr.Item) and _wanted(element, report)
        )
        for item in progress(
            batched(items, size=batch_size), total=found.posts, show=show_progress, what="entries"
        ):
            importer.current_post = item.source_id
            if item.creator and item.creator not in importer.bloggers:
                importer.blogger_for(
                    SourcePerson(key=item.creator, display_name=item.creator),
                    site_title=channel.title,
                )
            skipped = [c for c in item.comments if c.kind in SKIPPED_COMMENT_KINDS]
            spam = [c for c in item.comments if c.approved in {"spam", "trash"}]
            if skipped:
                report.skip("pingbacks and trackbacks (not conversations)", len(skipped))
            if spam:
                report.skip("comments marked as spam or binned", len(spam))
            item.comments = [
                c
                for c in item.comments
                if c.kind not in SKIPPED_COMMENT_KINDS and c.approved not in {"spam", "trash"}
            ]
            importer.entry_import(source_entry(item, found, authors_by_id))
    report.images = media.created
    for url, why in media.missing.items():
        report.missing_media.setdefault(url, why)
    return report


def _wanted(item: wxr.Item, report: Report) -> bool:
    if item.post_type == "attachment":
        return False  # files, imported where an entry shows them
    if item.post_type != "post":
        report.skip(
            f"not an entry (WordPress {item.post_type or 'item'} without a type)"
            if not item.post_type
            else f"not an entry (WordPress {item.post_type})"
        )
        return False
    if item.status in {"trash", "auto-draft", "inherit"}:
        report.skip(f"entries with the status {item.status!r}")
        return False
    if item.status not in STATUSES and item.status not in DRAFT_STATUSES:
        report.skip(f"entries with an unknown status {item.status!r}")
        return False
    return True


def old_address(link: str) -> str:
    parts = urlsplit(link)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def parse_date(value: str) -> datetime | None:
    return wxr.gmt(value)
