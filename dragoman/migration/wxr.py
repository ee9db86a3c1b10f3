"""Reading a WordPress export (WXR 1.0 to 1.2) as a stream, in bounded memory.

The file is parsed by defusedxml's ``iterparse``: a DTD, entity declarations (the "billion
laughs") and external entities are refused before anything is read, and each ``<item>`` is
handed over and then dropped from the tree, so a 2 GB export needs the memory of one item.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse


class ExportUnreadable(Exception):
    """The file cannot be read as a WordPress export; the message says why, for a person."""


@dataclass
class Author:
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""
    source_id: str = ""


@dataclass
class Comment:
    source_id: str
    author: str
    email: str
    url: str
    date_gmt: datetime | None
    content: str
    approved: str  # "1", "0", "spam", "trash"
    kind: str  # "", "comment", "pingback", "trackback"
    parent_id: str
    user_id: str


@dataclass
class Item:
    """One ``<item>``: a post, a page, an attachment or anything else WordPress exports."""

    source_id: str
    post_type: str
    title: str = ""
    link: str = ""
    guid: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    slug: str = ""
    status: str = ""
    password: str = ""
    date_gmt: datetime | None = None
    modified_gmt: datetime | None = None
    parent_id: str = ""
    attachment_url: str = ""
    comment_status: str = ""
    categories: list[tuple[str, str, str]] = field(default_factory=list)  # domain, slug, name
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)

    @property
    def tags(self) -> list[str]:
        names = [name.strip() for domain, _slug, name in self.categories if name.strip()]
        return [name for name in dict.fromkeys(names) if name.lower() != "uncategorized"]


@dataclass
class Channel:
    """What the export says of the site itself."""

    title: str = ""
    link: str = ""
    description: str = ""
    language: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    wxr_version: str = ""
    authors: dict[str, Author] = field(default_factory=dict)


def _name(tag: str) -> str:
    """``{http://wordpress.org/export/1.2/}post_id`` → ``wp:post_id`` (any WXR version)."""
    if not tag.startswith("{"):
        return tag
    namespace, _, local = tag[1:].partition("}")
    if "wordpress.org/export/" in namespace:
        prefix = "excerpt" if namespace.rstrip("/").endswith("excerpt") else "wp"
    elif "purl.org/rss/1.0/modules/content" in namespace:
        prefix = "content"
    elif "purl.org/dc/elements" in namespace:
        prefix = "dc"
    else:
        prefix = "other"
    return f"{prefix}:{local}"


def _text(element: Element | None) -> str:
    return (element.text or "") if element is not None else ""


def gmt(value: str) -> datetime | None:
    """A WXR GMT date ("2021-03-04 10:20:30"); WordPress writes zeros for "none"."""
    value = value.strip()
    if not value or value.startswith("0000"):
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def _children(element: Element) -> dict[str, Element]:
    return {_name(child.tag): child for child in element}


def _comment(element: Element) -> Comment:
    values = {name: _text(child) for name, child in _children(element).items()}
    return Comment(
        source_id=values.get("wp:comment_id", "").strip(),
        author=values.get("wp:comment_author", ""),
        email=values.get("wp:comment_author_email", "").strip(),
        url=values.get("wp:comment_author_url", "").strip(),
        date_gmt=gmt(values.get("wp:comment_date_gmt", ""))
        or gmt(values.get("wp:comment_date", "")),
        content=values.get("wp:comment_content", ""),
        approved=values.get("wp:comment_approved", "0").strip(),
        kind=values.get("wp:comment_type", "").strip(),
        parent_id=values.get("wp:comment_parent", "0").strip(),
        user_id=values.get("wp:comment_user_id", "0").strip(),
    )


def _item(element: Element) -> Item:
    item = Item(source_id="", post_type="")
    for child in element:
        name = _name(child.tag)
        text = child.text or ""
        if name == "title":
            item.title = text
        elif name == "link":
            item.link = text.strip()
        elif name == "guid":
            item.guid = text.strip()
        elif name == "dc:creator":
            item.creator = text.strip()
        elif name == "content:encoded":
            item.content = text
        elif name == "excerpt:encoded":
            item.excerpt = text
        elif name == "wp:post_id":
            item.source_id = text.strip()
        elif name == "wp:post_name":
            item.slug = text.strip()
        elif name == "wp:status":
            item.status = text.strip()
        elif name == "wp:post_type":
            item.post_type = text.strip()
        elif name == "wp:post_password":
            item.password = text
        elif name == "wp:post_parent":
            item.parent_id = text.strip()
        elif name == "wp:attachment_url":
            item.attachment_url = text.strip()
        elif name == "wp:comment_status":
            item.comment_status = text.strip()
        elif name == "wp:post_date_gmt":
            item.date_gmt = gmt(text)
        elif name == "wp:post_date" and item.date_gmt is None:
            # Only used when the GMT date is missing (drafts): the site's local time.
            item.meta["_dragoman_local_date"] = text.strip()
        elif name == "wp:post_modified_gmt":
            item.modified_gmt = gmt(text)
        elif name == "category":
            item.categories.append((child.get("domain", ""), child.get("nicename", ""), text))
        elif name == "wp:postmeta":
            values = {n: _text(c) for n, c in _children(child).items()}
            item.meta[values.get("wp:meta_key", "")] = values.get("wp:meta_value", "")
        elif name == "wp:comment":
            item.comments.append(_comment(child))
    if item.date_gmt is None:
        item.date_gmt = gmt(item.meta.pop("_dragoman_local_date", ""))
    item.meta.pop("_dragoman_local_date", None)
    return item


def _author(element: Element) -> Author:
    values = {name: _text(child).strip() for name, child in _children(element).items()}
    return Author(
        login=values.get("wp:author_login", ""),
        email=values.get("wp:author_email", ""),
        display_name=values.get("wp:author_display_name", ""),
        first_name=values.get("wp:author_first_name", ""),
        last_name=values.get("wp:author_last_name", ""),
        source_id=values.get("wp:author_id", ""),
    )


CHANNEL_FIELDS = {
    "title": "title",
    "link": "link",
    "description": "description",
    "language": "language",
    "wp:base_site_url": "base_site_url",
    "wp:base_blog_url": "base_blog_url",
    "wp:wxr_version": "wxr_version",
}


def read(path: Path | IO[bytes]) -> Iterator[Channel | Item]:
    """Yield the channel (updated as its parts arrive) and then each item, in file order.

    The channel is yielded once, at the first item (or at the end for an export without
    items), with the authors declared before the items. Raises ExportUnreadable with the
    line and column of the fault.
    """
    channel = Channel()
    channel_element: Element | None = None
    channel_given = False
    depth = 0
    seen_rss = False
    try:
        events: Any = iterparse(
            str(path) if isinstance(path, Path) else path,
            events=("start", "end"),
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        )
        for event, element in events:
            if event == "start":
                depth += 1
                if depth == 1:
                    seen_rss = element.tag == "rss"
                elif depth == 2 and element.tag == "channel":
                    channel_element = element
                continue
            depth -= 1
            if channel_element is None or depth != 2:
                continue
            name = _name(element.tag)
            if name == "item":
                if not channel_given:
                    channel_given = True
                    yield channel
                yield _item(element)
            elif name == "wp:author":
                author = _author(element)
                if author.login:
                    channel.authors[author.login] = author
            elif name in CHANNEL_FIELDS:
                setattr(channel, CHANNEL_FIELDS[name], (element.text or "").strip())
            # What was read is dropped: memory stays that of one item.
            channel_element.remove(element)
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        raise ExportUnreadable(
            f"The file is not well-formed XML (line {line}, column {column}): {error.msg}. "
            "If it was saved in another encoding than the one its first line declares, "
            "convert it to UTF-8 (iconv -f WINDOWS-1252 -t UTF-8) and try again."
        ) from error
    except DefusedXmlException as error:
        raise ExportUnreadable(
            "The file declares a DTD or entities, which a WordPress export never does; "
            f"it was refused so that it cannot expand or read other files ({error})."
        ) from error
    except UnicodeDecodeError as error:
        raise ExportUnreadable(f"The file's encoding cannot be read: {error}.") from error
    if not seen_rss or channel_element is None:
        raise ExportUnreadable("This is XML but not a WordPress export (no <rss><channel>).")
    if not channel_given:
        yield channel
