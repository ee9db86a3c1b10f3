"""What the blogs announce when their content changes (see ``dragoman.core.changes``).

Every announcement here is a ``ContentChanged``: the page cache refreshes what it names in
``shown_on``. Other apps listen for the kinds they keep copies of (search) or act on
(federation, subscriptions).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from dragoman.core.changes import ContentChanged


class EntryChange(enum.StrEnum):
    PUBLISHED = "published"  # first publication, or a new revision published
    UNPUBLISHED = "unpublished"
    MOVED = "moved"
    DELETED = "deleted"
    CAME_DUE = "came due"  # published with a later date, which has now passed
    REFRESHED = "refreshed"  # an operator asked for it (`dragoman entries-refresh`)


@dataclass(frozen=True)
class EntryChanged(ContentChanged):
    entry_id: int = 0
    change: str = ""


@dataclass(frozen=True)
class EntriesChanged(ContentChanged):
    """Many entries written in one batch (an import, ``services.entries_batch``): their
    footprints and counts are kept; ``shown_on`` names every page that shows or showed one.
    Not an ``EntryChanged``: bulk writes are history, not news to send to anyone."""

    entry_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class BlogChanged(ContentChanged):
    """A blog's own page (title, description, mission, bloggers) was published or changed."""

    blog_id: int = 0


@dataclass(frozen=True)
class NetworkPageChanged(ContentChanged):
    """The home page or the blog index was published or changed."""

    page_id: int = 0


@dataclass(frozen=True)
class BloggerChanged(ContentChanged):
    blogger_id: int = 0


@dataclass(frozen=True)
class SectionPrivacyChanged(ContentChanged):
    """A section of the tree (a blog, usually) became private, or public again: its entries
    leave or join every list, count and index."""

    path: str = ""
