"""A blog (or the whole network) leaving Dragoman: `dragoman export`.

Writes a folder with
- ``archive.json``: bloggers, blogs and entries with their blocks, tags, dates, status and
  conversations, in the format described in ``docs/export-format.md``;
- ``media/``: the original file of every image the archive names;
- ``wordpress.xml``: the same entries as a WordPress export (WXR 1.2), which WordPress's
  importer reads (Tools → Import → WordPress), its images named by their public address.

``dragoman import-archive`` reads the folder back (``archive.py``).

Members-only blogs (a section restricted to groups: a community's private blog) are left out
unless asked for (`members_only=True`, ``--include-members-only``): the archive then names the
groups on the blog's row, and the import restricts the blog to them again. Their pictures are
never written (the import would make them public images).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from pathlib import Path, PurePosixPath
from typing import IO, Any
from xml.sax.saxutils import escape as xml_escape

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify
from wagtail.images.models import Image
from wagtail.models import PageViewRestriction

from dragoman.blogs.models import Blogger, BlogPage, EntryPage
from dragoman.conversations.models import BlogConversationSettings, Comment

FORMAT = "dragoman-archive"
FORMAT_VERSION = 1
EXPORTED_COMMENT_STATUSES = (Comment.Status.APPROVED, Comment.Status.PENDING)


@dataclass
class Exported:
    folder: Path
    left_out: list[str] = field(default_factory=list)
    blogs: int = 0
    entries: int = 0
    comments: int = 0
    media: int = 0
    missing_media: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = [
            f"Wrote {self.folder}: {self.blogs} blogs, {self.entries} entries, "
            f"{self.comments} comments, {self.media} media files "
            "(archive.json, media/, wordpress.xml)."
        ]
        lines += [f"  file missing from storage, left out: {name}" for name in self.missing_media]
        lines += [f"  members-only, left out: {what}" for what in self.left_out]
        return lines


class MembersOnly(Exception):
    """A blog restricted to groups, asked for without `members_only`."""


def _members_only_sections() -> dict[str, list[str]]:
    """Tree paths of sections restricted to groups, with the names of those groups."""
    restrictions = PageViewRestriction.objects.filter(
        restriction_type=PageViewRestriction.GROUPS
    ).prefetch_related("groups")
    return {
        r.page.path: sorted(g.name for g in r.groups.all())
        for r in restrictions.select_related("page")
    }


def _groups_over(path: str, sections: dict[str, list[str]]) -> list[str]:
    return sorted({name for at, names in sections.items() if path.startswith(at) for name in names})


class _Media:
    """Copies each image's original once into media/ and names it by its path there."""

    def __init__(self, folder: Path, exported: Exported) -> None:
        self.folder = folder
        self.exported = exported
        self.paths: dict[int, str | None] = {}
        self.urls: dict[int, str] = {}

    def image(self, image_id: int | None) -> str | None:
        if image_id is None:
            return None
        if image_id in self.paths:
            return self.paths[image_id]
        image = Image.objects.filter(pk=image_id).first()
        path: str | None = None
        if image is not None:
            name = PurePosixPath(image.file.name).name
            relative = f"media/images/{image.pk}-{name}"
            try:
                with image.file.open("rb") as source, open(self.folder / relative, "wb") as out:
                    shutil.copyfileobj(source, out)
                path = relative
                self.urls[image_id] = _absolute(image.file.url)
                self.exported.media += 1
            except OSError:
                self.exported.missing_media.append(image.file.name)
        self.paths[image_id] = path
        return path


def _absolute(url: str) -> str:
    """The public address of a file (storage may give a path or a whole address)."""
    if url.startswith(("http://", "https://")):
        return url
    return settings.BASE_URL.rstrip("/") + url


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def _conversation_settings(blog: BlogPage) -> dict[str, Any] | None:
    """How the blog takes comments, when it differs from the defaults (no row)."""
    row = BlogConversationSettings.objects.filter(blog=blog).first()
    if row is None:
        return None
    return {"mode": row.mode, "close_after_days": row.close_after_days}


def _entry_status(entry: EntryPage, private: bool) -> str:
    if not entry.live:
        return "draft"
    if private:
        return "private"
    if entry.date > timezone.now():
        return "scheduled"
    return "published"


def _body(entry: EntryPage, media: _Media, *, images: bool = True) -> list[dict[str, Any]]:
    blocks = []
    for block in entry.body.raw_data:
        value = block["value"]
        if block["type"] == "image":
            path = media.image(value.get("image")) if images else None
            if path is None:
                continue
            value = {
                "src": path,
                "url": media.urls[value["image"]],
                "alt": value.get("alt_text", ""),
                "caption": value.get("caption", ""),
            }
        blocks.append({"type": block["type"], "value": value})
    return blocks


def _comments(entry: EntryPage) -> list[dict[str, Any]]:
    comments = Comment.objects.filter(entry=entry, status__in=EXPORTED_COMMENT_STATUSES)
    return [
        {
            "id": comment.pk,
            "parent": comment.parent_id,
            "name": comment.name,
            "body": comment.body,
            "status": comment.status,
            "official": comment.parent_id is not None,
            "job_title": comment.job_title,
            "created_at": _iso(comment.created_at),
            "published_at": _iso(comment.published_at),
        }
        for comment in comments.order_by("created_at", "pk")
    ]


def archive_write(
    *, folder: Path, blog_slug: str | None = None, members_only: bool = False
) -> Exported:
    """Write the archive of one blog (or of every blog) into `folder` (made if missing).

    Members-only blogs are left out (named in `Exported.left_out`) unless `members_only`;
    asked for by `blog_slug` without it, `MembersOnly` is raised.
    """
    blogs = BlogPage.objects.order_by("path")
    sections = _members_only_sections()
    if blog_slug:
        blogs = blogs.filter(slug=blog_slug)
        if not blogs.exists():
            raise BlogPage.DoesNotExist(f"No blog with the slug {blog_slug!r}.")
        if not members_only and _groups_over(blogs[0].path, sections):
            raise MembersOnly(
                f"The blog {blog_slug!r} is members-only: export it with --include-members-only "
                "(the archive keeps it restricted to its groups)."
            )
    (folder / "media" / "images").mkdir(parents=True, exist_ok=True)
    exported = Exported(folder=folder)
    media = _Media(folder, exported)
    # Paths of sections for any signed-in person or behind a password ("private" entries).
    private_ids = set(
        PageViewRestriction.objects.exclude(
            restriction_type=PageViewRestriction.GROUPS
        ).values_list("page__path", flat=True)
    )
    blog_rows, entry_rows, blogger_slugs = [], [], set()
    for blog in blogs:
        groups = _groups_over(blog.path, sections)
        if groups and not members_only:
            exported.left_out.append(blog.url or blog.slug)
            continue
        exported.blogs += 1
        bloggers = list(blog.bloggers.values_list("slug", flat=True))
        blogger_slugs.update(bloggers)
        blog_rows.append(
            {
                "slug": blog.slug,
                "title": blog.title,
                "description": blog.description,
                "language": blog.language,
                "mission": blog.mission.slug if blog.mission else None,
                "top_image": None if groups else media.image(blog.top_image_id),
                "bloggers": bloggers,
                "live": blog.live,
                "conversations": _conversation_settings(blog),
                **({"restricted_to_groups": groups} if groups else {}),
            }
        )
        entries = (
            EntryPage.objects.child_of(blog)
            .order_by("date", "pk")
            .prefetch_related("entry_authors__blogger")
        )
        for entry in entries:
            if _groups_over(entry.path, sections) != groups:
                # Restricted to groups below its blog: the archive cannot say so.
                exported.left_out.append(entry.url or entry.slug)
                continue
            exported.entries += 1
            authors = [credit.blogger.slug for credit in entry.entry_authors.all()]
            blogger_slugs.update(authors)
            private = any(entry.path.startswith(path) for path in private_ids)
            comments = _comments(entry)
            exported.comments += len(comments)
            entry_rows.append(
                {
                    "id": entry.pk,
                    "blog": blog.slug,
                    "slug": entry.slug,
                    "url_path": entry.url,
                    "title": entry.title,
                    "summary": entry.summary,
                    "date": _iso(entry.date),
                    "status": _entry_status(entry, private),
                    "language": entry.language,
                    "translation_of": entry.translation_of_id,
                    "comments_open": entry.comments_open,
                    "authors": authors,
                    # In the order they were given: the entry's page shows them so.
                    "tags": [item.tag.name for item in entry.tagged_items.order_by("pk")],
                    "body": _body(entry, media, images=not groups),
                    "comments": comments,
                }
            )
    blogger_rows = [
        {
            "slug": blogger.slug,
            "display_name": blogger.display_name,
            "job_title": blogger.job_title,
            "bio": blogger.bio,
            "mission": blogger.mission.slug if blogger.mission else None,
            "photo": media.image(blogger.photo_id),
        }
        for blogger in Blogger.objects.filter(slug__in=blogger_slugs).order_by("slug")
    ]
    archive = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": _iso(timezone.now()),
        "base_url": settings.BASE_URL,
        "bloggers": blogger_rows,
        "blogs": blog_rows,
        "entries": entry_rows,
    }
    with open(folder / "archive.json", "w", encoding="utf-8") as out:
        json.dump(archive, out, ensure_ascii=False, indent=1)
    with open(folder / "wordpress.xml", "w", encoding="utf-8") as out:
        wxr_write(out, archive)
    return exported


# WXR ---------------------------------------------------------------------------------------
def _cdata(text: str) -> str:
    return "<![CDATA[" + (text or "").replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _gmt(value: str | None) -> str:
    if not value:
        return "0000-00-00 00:00:00"
    return datetime.fromisoformat(value).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def block_html(block: dict[str, Any], base_url: str) -> str:
    """A block as the HTML WordPress's classic editor keeps."""
    kind, value = block["type"], block["value"]
    if kind == "paragraph":
        return str(value)
    if kind == "heading":
        level = value.get("level", "h2")
        return f"<{level}>{escape(value.get('text', ''))}</{level}>"
    if kind == "quote":
        cite = value.get("attribution")
        cite_html = f"<cite>{escape(cite)}</cite>" if cite else ""
        return f"<blockquote><p>{escape(value.get('quote', ''))}</p>{cite_html}</blockquote>"
    if kind == "video":
        return f"[embed]{value.get('url', '')}[/embed]"
    if kind == "image":
        src = value.get("url") or f"{base_url}/{value['src']}"
        image = f'<img src="{escape(src)}" alt="{escape(value.get("alt", ""))}" />'
        if value.get("caption"):
            return f'[caption align="alignnone"]{image} {escape(value["caption"])}[/caption]'
        return image
    return ""


WXR_STATUS = {"published": "publish", "scheduled": "future", "private": "private", "draft": "draft"}


def _wxr_lines(archive: dict[str, Any]) -> Iterator[str]:
    base = archive["base_url"].rstrip("/")
    title = archive["blogs"][0]["title"] if len(archive["blogs"]) == 1 else "Dragoman"
    yield '<?xml version="1.0" encoding="UTF-8" ?>\n'
    yield "<!-- A WordPress export (WXR 1.2) written by Dragoman: Tools → Import → WordPress -->\n"
    yield (
        '<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
    )
    yield f"<title>{xml_escape(title)}</title>\n<link>{xml_escape(base)}</link>\n"
    yield "<description></description>\n<language>en</language>\n"
    yield "<wp:wxr_version>1.2</wp:wxr_version>\n"
    yield f"<wp:base_site_url>{xml_escape(base)}</wp:base_site_url>\n"
    yield f"<wp:base_blog_url>{xml_escape(base)}</wp:base_blog_url>\n"
    for number, blogger in enumerate(archive["bloggers"], start=1):
        yield (
            f"<wp:author><wp:author_id>{number}</wp:author_id>"
            f"<wp:author_login>{_cdata(blogger['slug'])}</wp:author_login>"
            f"<wp:author_email>{_cdata('')}</wp:author_email>"
            f"<wp:author_display_name>{_cdata(blogger['display_name'])}</wp:author_display_name>"
            "<wp:author_first_name><![CDATA[]]></wp:author_first_name>"
            "<wp:author_last_name><![CDATA[]]></wp:author_last_name></wp:author>\n"
        )
    tags = sorted({tag for entry in archive["entries"] for tag in entry["tags"]})
    for number, tag in enumerate(tags, start=1):
        yield (
            f"<wp:tag><wp:term_id>{number}</wp:term_id><wp:tag_slug>{_cdata(_slug(tag))}"
            f"</wp:tag_slug><wp:tag_name>{_cdata(tag)}</wp:tag_name></wp:tag>\n"
        )
    # Attachments first, numbered after the entries, so WordPress fetches the images.
    attachment_ids: dict[str, int] = {}
    next_id = max([entry["id"] for entry in archive["entries"]] or [0]) + 1
    for entry in archive["entries"]:
        for block in entry["body"]:
            if block["type"] == "image" and block["value"]["src"] not in attachment_ids:
                attachment_ids[block["value"]["src"]] = next_id
                src = block["value"].get("url") or f"{base}/{block['value']['src']}"
                yield (
                    f"<item><title>{_cdata(PurePosixPath(src).name)}</title>"
                    f"<link>{xml_escape(src)}</link><dc:creator>{_cdata(entry['authors'][0] if entry['authors'] else '')}</dc:creator>"
                    f'<guid isPermaLink="false">{xml_escape(src)}</guid>'
                    f"<content:encoded><![CDATA[]]></content:encoded>"
                    f"<excerpt:encoded>{_cdata(block['value'].get('caption', ''))}</excerpt:encoded>"
                    f"<wp:post_id>{next_id}</wp:post_id>"
                    f"<wp:post_date>{_cdata(_gmt(entry['date']))}</wp:post_date>"
                    f"<wp:post_date_gmt>{_cdata(_gmt(entry['date']))}</wp:post_date_gmt>"
                    "<wp:comment_status><![CDATA[closed]]></wp:comment_status>"
                    f"<wp:post_name>{_cdata(_slug(PurePosixPath(src).stem))}</wp:post_name>"
                    "<wp:status><![CDATA[inherit]]></wp:status>"
                    f"<wp:post_parent>{entry['id']}</wp:post_parent>"
                    "<wp:post_type><![CDATA[attachment]]></wp:post_type>"
                    f"<wp:attachment_url>{_cdata(src)}</wp:attachment_url>"
                    "<wp:postmeta><wp:meta_key><![CDATA[_wp_attachment_image_alt]]></wp:meta_key>"
                    f"<wp:meta_value>{_cdata(block['value'].get('alt', ''))}</wp:meta_value>"
                    "</wp:postmeta></item>\n"
                )
                next_id += 1
    for entry in archive["entries"]:
        content = "\n\n".join(block_html(block, base) for block in entry["body"])
        date = _gmt(entry["date"])
        parts = [
            "<item>",
            f"<title>{_cdata(entry['title'])}</title>",
            f"<link>{xml_escape(base + entry['url_path'])}</link>",
            f"<dc:creator>{_cdata(entry['authors'][0] if entry['authors'] else '')}</dc:creator>",
            f'<guid isPermaLink="false">{xml_escape(base)}/?p={entry["id"]}</guid>',
            "<description></description>",
            f"<content:encoded>{_cdata(content)}</content:encoded>",
            f"<excerpt:encoded>{_cdata(entry['summary'])}</excerpt:encoded>",
            f"<wp:post_id>{entry['id']}</wp:post_id>",
            f"<wp:post_date>{_cdata(date)}</wp:post_date>",
            f"<wp:post_date_gmt>{_cdata(date)}</wp:post_date_gmt>",
            f"<wp:comment_status>{_cdata('open' if entry['comments_open'] else 'closed')}"
            "</wp:comment_status>",
            "<wp:ping_status><![CDATA[closed]]></wp:ping_status>",
            f"<wp:post_name>{_cdata(entry['slug'])}</wp:post_name>",
            f"<wp:status>{_cdata(WXR_STATUS[entry['status']])}</wp:status>",
            "<wp:post_parent>0</wp:post_parent><wp:menu_order>0</wp:menu_order>",
            "<wp:post_type><![CDATA[post]]></wp:post_type>",
            "<wp:post_password><![CDATA[]]></wp:post_password>",
            "<wp:is_sticky>0</wp:is_sticky>",
        ]
        parts += [
            f'<category domain="post_tag" nicename="{xml_escape(_slug(tag))}">{_cdata(tag)}</category>'
            for tag in entry["tags"]
        ]
        for comment in entry["comments"]:
            parts.append(
                "<wp:comment>"
                f"<wp:comment_id>{comment['id']}</wp:comment_id>"
                f"<wp:comment_author>{_cdata(comment['name'])}</wp:comment_author>"
                "<wp:comment_author_email><![CDATA[]]></wp:comment_author_email>"
                "<wp:comment_author_url></wp:comment_author_url>"
                "<wp:comment_author_IP><![CDATA[]]></wp:comment_author_IP>"
                f"<wp:comment_date>{_cdata(_gmt(comment['created_at']))}</wp:comment_date>"
                f"<wp:comment_date_gmt>{_cdata(_gmt(comment['created_at']))}</wp:comment_date_gmt>"
                f"<wp:comment_content>{_cdata(comment['body'])}</wp:comment_content>"
                f"<wp:comment_approved>{'1' if comment['status'] == 'approved' else '0'}"
                "</wp:comment_approved>"
                "<wp:comment_type><![CDATA[comment]]></wp:comment_type>"
                f"<wp:comment_parent>{comment['parent'] or 0}</wp:comment_parent>"
                "<wp:comment_user_id>0</wp:comment_user_id>"
                "</wp:comment>"
            )
        parts.append("</item>\n")
        yield "\n".join(parts)
    yield "</channel>\n</rss>\n"


def _slug(text: str) -> str:
    return slugify(text, allow_unicode=True) or "tag"


def wxr_write(out: IO[str], archive: dict[str, Any]) -> None:
    for line in _wxr_lines(archive):
        out.write(line)
