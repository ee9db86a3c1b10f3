"""A Ghost export (Ghost 5 or 6, Settings → Advanced → Export) imported onto a blog:
`dragoman import-ghost`.

A body is read from its Lexical document (Ghost 5.x and later), else its Mobiledoc (Ghost
4 and early 5), else its HTML, and turned into HTML for ``bodies.html_to_blocks``. Images
named ``__GHOST_URL__/content/images/...`` come from a copy of Ghost's ``content/images``
folder. Ghost does not export its members' comments, so none are imported.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any

from django.utils import timezone

from .media import MediaLibrary
from .report import Report
from .services import (
    BATCH_SIZE,
    Importer,
    SourceEntry,
    SourcePerson,
    batched,
    content_language,
    import_transaction,
    progress,
)

GHOST_URL = "__GHOST_URL__"
STATUSES = {
    "published": "published",
    "scheduled": "scheduled",
    "draft": "draft",
    "sent": "published",
}


class ExportUnreadable(Exception):
    """The file is not a Ghost export this version reads; the message says why."""


def ghost_read(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise ExportUnreadable(f"The file is not UTF-8 text: {error}.") from error
    except ValueError as error:
        raise ExportUnreadable(f"The file is not valid JSON: {error}.") from error
    if isinstance(document, dict) and isinstance(document.get("db"), list) and document["db"]:
        document = document["db"][0]
    if not isinstance(document, dict) or not isinstance(document.get("data"), dict):
        raise ExportUnreadable("This is JSON but not a Ghost export (no db[0].data).")
    data = document["data"]
    if not isinstance(data.get("posts", []), list):
        raise ExportUnreadable("The Ghost export's posts are not a list.")
    return document


# Lexical ---------------------------------------------------------------------------------------
TEXT_FORMATS = ((1, "b"), (2, "i"))


def _lexical_inline(nodes: list[dict[str, Any]]) -> str:
    parts = []
    for node in nodes:
        kind = node.get("type")
        if kind in {"text", "extended-text"}:
            text = escape(node.get("text", ""), quote=False)
            for bit, tag in TEXT_FORMATS:
                if int(node.get("format", 0) or 0) & bit:
                    text = f"<{tag}>{text}</{tag}>"
            parts.append(text)
        elif kind == "linebreak":
            parts.append("<br>")
        elif kind in {"link", "autolink"}:
            inner = _lexical_inline(node.get("children", []))
            parts.append(f'<a href="{escape(node.get("url", ""))}">{inner}</a>')
        else:
            parts.append(_lexical_inline(node.get("children", [])))
    return "".join(parts)


def _figure(src: str, alt: str, caption: str) -> str:
    return (
        f'<figure><img src="{escape(src)}" alt="{escape(alt)}">'
        f"<figcaption>{caption}</figcaption></figure>"
    )


def lexical_html(document: str | dict[str, Any]) -> str:
    root = json.loads(document) if isinstance(document, str) else document
    out = []
    for node in root.get("root", {}).get("children", []):
        kind = node.get("type")
        children = node.get("children", [])
        if kind == "paragraph":
            out.append(f"<p>{_lexical_inline(children)}</p>")
        elif kind in {"heading", "extended-heading"}:
            tag = node.get("tag", "h2")
            out.append(f"<{tag}>{_lexical_inline(children)}</{tag}>")
        elif kind in {"quote", "extended-quote", "aside"}:
            out.append(f"<blockquote><p>{_lexical_inline(children)}</p></blockquote>")
        elif kind == "list":
            tag = "ol" if node.get("listType") == "number" else "ul"
            items = "".join(
                f"<li>{_lexical_inline(item.get('children', []))}</li>" for item in children
            )
            out.append(f"<{tag}>{items}</{tag}>")
        elif kind == "image":
            out.append(_figure(node.get("src", ""), node.get("alt", ""), node.get("caption", "")))
        elif kind == "gallery":
            for image in node.get("images", []):
                out.append(
                    _figure(image.get("src", ""), image.get("alt", ""), image.get("caption", ""))
                )
        elif kind in {"embed", "video", "bookmark"}:
            url = node.get("url") or node.get("src") or ""
            out.append(f'<dragoman-embed data-url="{escape(url)}"></dragoman-embed>')
        elif kind == "html":
            out.append(node.get("html", ""))
        elif kind == "markdown":
            out.append(f"<pre>{escape(node.get('markdown', ''))}</pre>")
        elif kind == "callout":
            out.append(f"<p>{node.get('calloutText', '')}</p>")
        elif kind == "horizontalrule":
            out.append("<hr>")
        elif children:
            out.append(f"<p>{_lexical_inline(children)}</p>")
    return "\n".join(out)


# Mobiledoc -------------------------------------------------------------------------------------
def _mobiledoc_markers(markers: list[Any], markups: list[Any]) -> str:
    text, open_tags = [], []
    for marker in markers:
        kind, opened, closed, value = marker[0], marker[1], marker[2], marker[3]
        for index in opened:
            markup = markups[index]
            tag = markup[0].lower()
            attributes = (
                dict(zip(markup[1][::2], markup[1][1::2], strict=False)) if len(markup) > 1 else {}
            )
            href = f' href="{escape(attributes.get("href", ""))}"' if tag == "a" else ""
            text.append(f"<{tag}{href}>")
            open_tags.append(tag)
        text.append(escape(value, quote=False) if kind == 0 else "")
        for _ in range(closed):
            if open_tags:
                text.append(f"</{open_tags.pop()}>")
    text += [f"</{tag}>" for tag in reversed(open_tags)]
    return "".join(text)


def mobiledoc_html(document: str | dict[str, Any]) -> str:
    doc = json.loads(document) if isinstance(document, str) else document
    markups, cards = doc.get("markups", []), doc.get("cards", [])
    out = []
    for section in doc.get("sections", []):
        kind = section[0]
        if kind == 1:  # a markup section: p, h2, blockquote...
            tag = str(section[1]).lower()
            out.append(f"<{tag}>{_mobiledoc_markers(section[2], markups)}</{tag}>")
        elif kind == 3:  # a list
            tag = str(section[1]).lower()
            items = "".join(f"<li>{_mobiledoc_markers(item, markups)}</li>" for item in section[2])
            out.append(f"<{tag}>{items}</{tag}>")
        elif kind == 10:  # a card
            name, payload = cards[section[1]]
            if name == "image":
                out.append(
                    _figure(
                        payload.get("src", ""), payload.get("alt", ""), payload.get("caption", "")
                    )
                )
            elif name == "gallery":
                for image in payload.get("images", []):
                    out.append(
                        _figure(
                            image.get("src", ""), image.get("alt", ""), image.get("caption", "")
                        )
                    )
            elif name in {"embed", "video", "bookmark"}:
                url = payload.get("url") or payload.get("src") or ""
                out.append(f'<dragoman-embed data-url="{escape(url)}"></dragoman-embed>')
            elif name == "html":
                out.append(payload.get("html", ""))
            elif name == "markdown":
                out.append(f"<pre>{escape(payload.get('markdown', ''))}</pre>")
            elif name == "hr":
                out.append("<hr>")
    return "\n".join(out)


def body_html(post: dict[str, Any]) -> str:
    if post.get("lexical"):
        return lexical_html(post["lexical"])
    if post.get("mobiledoc"):
        return mobiledoc_html(post["mobiledoc"])
    return post.get("html") or ""


def _absolute(url: str, site: str) -> str:
    return url.replace(GHOST_URL, site or "https://ghost.invalid") if url else ""


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return None


def ghost_import(
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
    document = ghost_read(path)
    data = document["data"]
    settings = {row.get("key"): row.get("value") for row in data.get("settings", [])}
    site = str(settings.get("url") or "").rstrip("/")
    title = str(settings.get("title") or "Ghost blog")
    source = f"ghost:{site or title}"[:255]
    report = Report(dry_run=dry_run)
    media = MediaLibrary(source=source, folder=media_folder, fetch=fetch_media, dry_run=dry_run)
    importer = Importer(
        source=source,
        report=report,
        media=media,
        language=content_language(language or str(settings.get("locale") or "en")),
        dry_run=dry_run,
    )
    users = {row["id"]: row for row in data.get("users", [])}
    tags = {row["id"]: row for row in data.get("tags", [])}
    post_tags: dict[str, list[str]] = defaultdict(list)
    for row in sorted(data.get("posts_tags", []), key=lambda r: r.get("sort_order", 0)):
        tag = tags.get(row.get("tag_id"))
        if tag is not None and not str(tag.get("name", "")).startswith("#"):
            post_tags[row["post_id"]].append(tag["name"])
    post_authors: dict[str, list[str]] = defaultdict(list)
    for row in sorted(data.get("posts_authors", []), key=lambda r: r.get("sort_order", 0)):
        post_authors[row["post_id"]].append(row["author_id"])
    meta = {row.get("post_id"): row for row in data.get("posts_meta", [])}
    posts = [post for post in data.get("posts", []) if isinstance(post, dict)]
    with import_transaction(dry_run=dry_run):
        for user in users.values():
            importer.blogger_for(
                SourcePerson(
                    key=user["id"],
                    display_name=user.get("name") or user.get("slug") or "Author",
                    email=user.get("email") or "",
                    bio=user.get("bio") or "",
                    slug=user.get("slug") or "",
                ),
                site_title=title,
            )
        importer.blog_ensure(
            slug=blog_slug, title=title, description=str(settings.get("description") or "")
        )
        for post in progress(
            batched(posts, size=batch_size), total=len(posts), show=show_progress, what="entries"
        ):
            if post.get("type", "post") != "post":
                report.skip(f"not an entry (Ghost {post.get('type')})")
                continue
            status = STATUSES.get(post.get("status", ""), "")
            if not status:
                report.skip(f"entries with the status {post.get('status')!r}")
                continue
            if post.get("visibility", "public") != "public" and status == "published":
                status = "private"  # members-only: for signed-in people here
            post_meta = meta.get(post.get("id"), {})
            feature = None
            if post.get("feature_image"):
                feature = {
                    "src": _absolute(post["feature_image"], site),
                    "alt": post_meta.get("feature_image_alt")
                    or post.get("feature_image_alt")
                    or "",
                    "caption": post_meta.get("feature_image_caption")
                    or post.get("feature_image_caption")
                    or "",
                }
            authors = post_authors.get(post["id"]) or (
                [post["author_id"]] if post.get("author_id") else []
            )
            date = (
                _date(post.get("published_at"))
                or _date(post.get("created_at"))
                or timezone.now().replace(microsecond=0)
            )
            importer.entry_import(
                SourceEntry(
                    source_id=str(post["id"]),
                    title=post.get("title") or "",
                    slug=post.get("slug") or "",
                    date=date,
                    status=status,
                    author_keys=authors,
                    body_html=_absolute(body_html(post), site),
                    summary=post.get("custom_excerpt") or "",
                    tags=post_tags.get(post["id"], []),
                    old_paths=[f"/{post['slug']}/"] if post.get("slug") else [],
                    feature_image=feature,
                    autop=False,
                )
            )
    report.images = media.created
    report.missing_media.update(media.missing)
    return report
