"""Every write of an import: bloggers, a blog, entries, their comments and old addresses.

Whatever the source (a WordPress export, a Ghost export, a Dragoman archive), its readers
turn each entry into a `SourceEntry`, and `Importer.entry_import` writes it in its own
transaction, through the blogs' services and Wagtail's revisions (so that the one path of
a change runs: counts, search, page cache, announcements). The imports (WordPress, Ghost,
a Dragoman archive) write entries in batches (`batched`): a new entry is then written live
in one save, its first revision and history as Wagtail's path leaves them
(``blog_services.entry_create`` in a batch), and the one path's follow-ups run once per batch. A `SourceItem` remembers every
thing imported with a checksum of its source: a re-run updates what changed, skips what did
not, and so resumes an interrupted run where it stopped. An entry that fails is rolled back
whole and named in the report; the others go on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from itertools import islice
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import slugify
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageViewRestriction

from dragoman.blogs import footprints
from dragoman.blogs import services as blog_services
from dragoman.blogs.announcements import EntryChange
from dragoman.blogs.models import (
    RESERVED_ENTRY_SLUGS,
    Blogger,
    BlogIndexPage,
    BlogPage,
    EntryAuthor,
    EntryPage,
)
from dragoman.conversations.announcements import ConversationChanged
from dragoman.conversations.defences import body_hash
from dragoman.conversations.models import Comment
from dragoman.conversations.rendering import comment_html
from dragoman.core.changes import announce, shown_on
from dragoman.missions.models import Mission

from .bodies import Conversion, html_to_blocks, text_of
from .media import MediaLibrary
from .models import SourceItem
from .report import Report

T = TypeVar("T")

SUMMARY_LENGTH = 600
# Entries per batch (``batched``): the copies and announcements of a batch are made once
# for all of them, at its end, in its transaction; a crash loses at most one batch, which a
# re-run imports again. A batch holds SQLite's write lock for its length (some seconds at
# this size), well under the 20 s other writers wait for it.
BATCH_SIZE = 100
COMMENT_LENGTH = 5000
NAME_LENGTH = 80


@dataclass
class SourcePerson:
    key: str
    display_name: str
    email: str = ""
    bio: str = ""
    job_title: str = ""
    slug: str = ""
    photo: str = ""  # an image's address or path in the media folder
    mission: str = ""  # a mission's slug, linked when the network has it


@dataclass
class SourceComment:
    source_id: str
    parent_id: str
    name: str
    body: str  # plain text
    date: datetime | None
    approved: bool
    email: str = ""
    author_key: str = ""  # set when one of the entry's authors wrote it
    official: bool = False  # an official reply already (a Dragoman archive)
    job_title: str = ""
    published: datetime | None = None  # when it was approved, if not when it was written


@dataclass
class SourceEntry:
    source_id: str
    title: str
    slug: str
    date: datetime
    status: str  # "published", "draft", "scheduled", "private"
    author_keys: list[str]
    body_html: str = ""
    # Blocks given as they are (a Dragoman archive), images as {"src", "alt", "caption"}.
    blocks: list[tuple[str, Any]] | None = None
    summary: str = ""
    tags: list[str] = field(default_factory=list)
    password: str = ""
    comments: list[SourceComment] = field(default_factory=list)
    old_paths: list[str] = field(default_factory=list)
    feature_image: dict[str, str] | None = None
    language: str = ""
    comments_open: bool = True
    autop: bool = True  # WordPress's blank-line paragraphs

    def checksum(self) -> str:
        values = asdict(self)
        return hashlib.sha256(json.dumps(values, default=str, sort_keys=True).encode()).hexdigest()


class EntryFailed(Exception):
    """One entry could not be imported; the message is for a person."""


def content_language(code: str, default: str = "en") -> str:
    known = {value for value, _name in settings.CONTENT_LANGUAGES}
    code = (code or "").strip().lower().replace("_", "-")
    for candidate in (code, code.split("-")[0]):
        if candidate in known:
            return candidate
    return default


def clean_email(email: str) -> str:
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        return ""
    return email


class Importer:
    """Writes one source's bloggers and entries onto one blog."""

    def __init__(
        self,
        *,
        source: str,
        report: Report,
        media: MediaLibrary,
        language: str = "en",
        dry_run: bool = False,
    ) -> None:
        self.source = source
        self.report = report
        self.media = media
        self.language = language
        self.dry_run = dry_run
        self.bloggers: dict[str, Blogger] = {}
        self.people: dict[str, SourcePerson] = {}
        self.blog: BlogPage | None = None

    # Mappings --------------------------------------------------------------------------------
    def _mapped(self, kind: str, source_id: str, *, source: str | None = None) -> SourceItem | None:
        return SourceItem.objects.filter(
            source=source or self.source, kind=kind, source_id=source_id[:255]
        ).first()

    def _remember(
        self,
        kind: str,
        source_id: str,
        target_id: int,
        checksum: str = "",
        source: str = "",
        *,
        new: bool = False,
    ) -> None:
        if new:  # known not to be there: one insert
            SourceItem.objects.create(
                source=source or self.source,
                kind=kind,
                source_id=source_id[:255],
                target_id=target_id,
                checksum=checksum,
            )
            return
        SourceItem.objects.update_or_create(
            source=source or self.source,
            kind=kind,
            source_id=source_id[:255],
            defaults={"target_id": target_id, "checksum": checksum},
        )

    # Bloggers ------------------------------------------------------------------------------
    def blogger_for(self, person: SourcePerson, *, site_title: str = "") -> Blogger:
        """The blogger for an author of the source: the one imported before (from this
        source, or from any source with the same email address, or the one whose account has
        that address), else a new one."""
        self.people[person.key] = person
        if person.key in self.bloggers:
            return self.bloggers[person.key]
        blogger = None
        email = clean_email(person.email).lower()
        mapped = self._mapped(SourceItem.Kind.BLOGGER, person.key)
        if mapped is None and email:
            mapped = self._mapped(SourceItem.Kind.BLOGGER, email, source="email")
        if mapped is not None:
            blogger = Blogger.objects.filter(pk=mapped.target_id).first()
        if blogger is None and email:
            user = get_user_model().objects.filter(email__iexact=email).first()
            blogger = Blogger.objects.filter(user=user).first() if user else None
        if blogger is None:
            name = (person.display_name or person.key or "Author").strip()[:150]
            base = slugify(person.slug or name)[:140] or "author"
            slug, number = base, 2
            while Blogger.objects.filter(slug=slug).exists():
                slug, number = f"{base}-{number}", number + 1
            blogger = blog_services.blogger_create(
                display_name=name,
                slug=slug,
                job_title=(person.job_title or f"Author on {site_title or 'the old blog'}")[:200],
                bio=text_of(person.bio)[:1000],
                mission=Mission.objects.filter(slug=person.mission).first()
                if person.mission
                else None,
                photo=self.media.image(person.photo, title=name) if person.photo else None,
            )
            self.report.bloggers += 1
        self._remember(SourceItem.Kind.BLOGGER, person.key, blogger.pk)
        if email:
            self._remember(SourceItem.Kind.BLOGGER, email, blogger.pk, source="email")
        self.bloggers[person.key] = blogger
        return blogger

    # The blog --------------------------------------------------------------------------------
    def blog_ensure(
        self,
        *,
        slug: str | None,
        title: str,
        description: str,
        key: str = "blog",
        blogger_keys: list[str] | None = None,
        top_image: str = "",
        mission: str = "",
        language: str = "",
    ) -> BlogPage:
        """The blog named by slug (made if missing), or the one this source made before."""
        if slug:
            blog = BlogPage.objects.filter(slug=slug).first()
        else:
            mapped = self._mapped(SourceItem.Kind.BLOG, key)
            blog = BlogPage.objects.filter(pk=mapped.target_id).first() if mapped else None
            slug = slugify(title)[:50] or "imported"
            base, number = slug, 2
            while blog is None and BlogPage.objects.filter(slug=slug).exists():
                slug, number = f"{base}-{number}", number + 1
        if blog is None:
            _home, index = blog_services.network_ensure()
            blog = blog_services.blog_create(
                index=BlogIndexPage.objects.get(pk=index.pk),
                title=(title or slug)[:255],
                slug=slug,
                description=(text_of(description) or title or slug)[:1000],
                bloggers=[self.bloggers[k] for k in blogger_keys if k in self.bloggers]
                if blogger_keys is not None
                else list(self.bloggers.values())[:20],
                language=language or self.language,
                top_image=self.media.image(top_image, title=title) if top_image else None,
                mission=Mission.objects.filter(slug=mission).first() if mission else None,
            )
        self._remember(SourceItem.Kind.BLOG, key, blog.pk)
        self.blog = blog
        return blog

    # Entries -------------------------------------------------------------------------------
    def entry_import(self, source_entry: SourceEntry) -> None:
        """Import or update one entry, in its own transaction; report what happened."""
        checksum = source_entry.checksum()
        mapped = self._mapped(SourceItem.Kind.ENTRY, source_entry.source_id)
        existing = None
        if mapped is not None:
            existing = EntryPage.objects.filter(pk=mapped.target_id).first()
            if existing is not None and mapped.checksum == checksum:
                self.report.unchanged += 1
                return
        label = f"{source_entry.source_id} {source_entry.title[:60]!r}"
        try:
            with transaction.atomic():
                self._entry_write(source_entry, existing, checksum, mapped=mapped is not None)
        except EntryFailed as error:
            self.report.failed.append(f"{label}: {error}")
            return
        except ValidationError as error:
            self.report.failed.append(f"{label}: {_validation_text(error)}")
            return
        except Exception as error:
            self.report.failed.append(f"{label}: {type(error).__name__}: {error}")
            return
        if existing is None:
            self.report.imported += 1
        else:
            self.report.changed += 1

    def _entry_write(
        self, source_entry: SourceEntry, existing: EntryPage | None, checksum: str, *, mapped: bool
    ) -> None:
        assert self.blog is not None
        conversion = self._blocks(source_entry)
        for note in conversion.notes:
            self.report.notes.append(f"entry {source_entry.source_id}: {note}")
        authors = [self.bloggers[key] for key in source_entry.author_keys if key in self.bloggers]
        if not authors:
            raise EntryFailed("no author of the entry is known to the export")
        title = (source_entry.title or "").strip()[:255] or "(untitled)"
        summary = source_entry.summary.strip() or _summary_from(conversion.blocks)
        summary = summary[:SUMMARY_LENGTH] or title
        publish = source_entry.status in {"published", "scheduled", "private"}
        date = source_entry.date
        if existing is None:
            slug = unquote(source_entry.slug or "") or title
            if slugify(slug, allow_unicode=True) in RESERVED_ENTRY_SLUGS:
                slug = f"{slug}-entry"
            entry = blog_services.entry_create(
                blog=self.blog,
                title=title,
                summary=summary,
                body=conversion.blocks,
                authors=authors,
                date=date,
                tags=[tag[:100] for tag in source_entry.tags],
                language=source_entry.language or self.language,
                comments_open=source_entry.comments_open,
                publish=publish,
                slug=slug,
            )
        else:
            entry = existing.specific
            entry.title = title
            entry.summary = summary
            entry.body = conversion.blocks
            entry.date = date
            entry.comments_open = source_entry.comments_open
            entry.entry_authors.set(
                [EntryAuthor(blogger=author, sort_order=n) for n, author in enumerate(authors)]
            )
            entry.tags.set([tag[:100] for tag in source_entry.tags])
            revision = entry.save_revision(log_action=True)
            if publish:
                revision.publish()
            elif entry.live:
                entry.unpublish()
            entry = EntryPage.objects.get(pk=entry.pk)
        self._privacy(entry, source_entry, fresh=existing is None)
        self._comments(entry, source_entry, fresh=existing is None)
        self._redirects(entry, source_entry)
        self._remember(
            SourceItem.Kind.ENTRY, source_entry.source_id, entry.pk, checksum, new=not mapped
        )

    def translation_link(self, *, entry_id: str, original_id: str) -> None:
        """Link an imported entry to the imported original it translates (once)."""
        entry_item = self._mapped(SourceItem.Kind.ENTRY, entry_id)
        original_item = self._mapped(SourceItem.Kind.ENTRY, original_id)
        if entry_item is None or original_item is None:
            return
        entry = EntryPage.objects.filter(pk=entry_item.target_id).first()
        original = EntryPage.objects.filter(pk=original_item.target_id).first()
        if entry is None or original is None or entry.translation_of_id == original.pk:
            return
        try:
            with transaction.atomic():
                blog_services.entry_translation_link(entry=entry, original=original)
        except ValidationError as error:
            self.report.notes.append(
                f"entry {entry_id}: not linked to its original: {_validation_text(error)}"
            )

    def _blocks(self, source_entry: SourceEntry) -> Conversion:
        if source_entry.blocks is not None:
            conversion = Conversion(blocks=list(source_entry.blocks))
        else:
            conversion = html_to_blocks(
                source_entry.body_html, gallery=self.gallery, autop=source_entry.autop
            )
        if source_entry.feature_image and not any(
            kind == "image" and value.get("src") == source_entry.feature_image.get("src")
            for kind, value in conversion.blocks
        ):
            conversion.blocks.insert(0, ("image", dict(source_entry.feature_image)))
        blocks: list[tuple[str, Any]] = []
        for kind, value in conversion.blocks:
            if kind != "image" or "src" not in value:
                blocks.append((kind, value))
                continue
            image = self.media.image(value["src"], title=value.get("alt") or source_entry.title)
            if image is None:
                why = self.media.missing.get(value["src"], "not found")
                self.report.missing_media[value["src"]] = why
                if not self.dry_run:
                    conversion.note(f"image left out, file missing: {value['src']}")
                continue
            alt = (value.get("alt") or "").strip()
            if not alt:
                alt = (value.get("caption") or image.title or "Image")[:300]
                conversion.note(f"image without alt text, its caption or title used: {alt!r}")
            blocks.append(
                (
                    "image",
                    {
                        "image": image,
                        "alt_text": alt[:300],
                        "caption": value.get("caption", "")[:300],
                    },
                )
            )
        conversion.blocks = blocks
        return conversion

    def gallery(self, ids: list[str]) -> list[dict[str, str]]:
        """The pictures of a [gallery] shortcode: overridden by the WordPress reader."""
        return []

    def _privacy(self, entry: EntryPage, source_entry: SourceEntry, *, fresh: bool) -> None:
        """Private entries are for signed-in people only; a password stays a password."""
        wanted: tuple[str, str] | None = None
        if source_entry.status == "private":
            wanted = (PageViewRestriction.LOGIN, "")
        elif source_entry.password:
            wanted = (PageViewRestriction.PASSWORD, source_entry.password[:255])
        if fresh and wanted is None:  # a page just made has no restriction of its own
            return
        restrictions = PageViewRestriction.objects.filter(page=entry)
        current = [(r.restriction_type, r.password) for r in restrictions]
        if current == ([wanted] if wanted else []):
            return
        restrictions.delete()
        if wanted is not None:
            PageViewRestriction.objects.create(
                page=entry, restriction_type=wanted[0], password=wanted[1]
            )
        blog_services.section_privacy_changed(page=entry)

    def _comments(self, entry: EntryPage, source_entry: SourceEntry, *, fresh: bool) -> None:
        """The conversation as it was: approved comments approved, the entry's authors'
        replies as official replies. Imported comments are history, not news: nobody is
        notified, and one announcement refreshes the entry's pages."""
        made: dict[str, Comment] = {}
        names: dict[str, str] = {}
        parents = {c.source_id: c.parent_id for c in source_entry.comments}
        known: dict[str, int] = {}
        made_before: dict[str, Comment] = {}
        if not fresh:  # a new entry has no comments yet: nothing to look up
            prefix = f"{source_entry.source_id}:"
            known = dict(
                SourceItem.objects.filter(
                    source=self.source,
                    kind=SourceItem.Kind.COMMENT,
                    source_id__startswith=prefix,
                ).values_list("source_id", "target_id")
            )
            existing = Comment.objects.in_bulk(list(known.values()))
            known = {key: pk for key, pk in known.items() if pk in existing}
            made_before = {key: existing[pk] for key, pk in known.items()}
        remembered: list[SourceItem] = []
        new_public = False
        last: Comment | None = None
        for source_comment in source_entry.comments:
            names[source_comment.source_id] = source_comment.name
            key = f"{source_entry.source_id}:{source_comment.source_id}"[:255]
            if key in known:
                made[source_comment.source_id] = made_before[key]
                continue
            comment = self._comment_build(entry, source_comment, made, parents, names)
            # The entry, blog and parent were just read or made here: no query checks them.
            comment.full_clean(exclude=["entry", "blog", "parent"])
            comment.save()
            remembered.append(
                SourceItem(
                    source=self.source,
                    kind=SourceItem.Kind.COMMENT,
                    source_id=key,
                    target_id=comment.pk,
                )
            )
            made[source_comment.source_id] = comment
            self.report.comments += 1
            last = comment
            new_public = new_public or comment.status == Comment.Status.APPROVED
        SourceItem.objects.bulk_create(remembered)
        if new_public and last is not None:
            if blog_services.in_entries_batch():
                # The batch's announcement names the entry's pages, once for all (a draft's
                # conversation shows nowhere yet).
                if entry.live:
                    blog_services.entry_changed(entry_id=entry.pk, change=EntryChange.REFRESHED)
                return
            pages = shown_on(footprints.entry_pages(entry.pk))
            announce(ConversationChanged(entry_id=entry.pk, comment_id=last.pk, shown_on=pages))

    def _comment_build(
        self,
        entry: EntryPage,
        source_comment: SourceComment,
        made: dict[str, Comment],
        parents: dict[str, str],
        names: dict[str, str],
    ) -> Comment:
        # The reader's comment a reply hangs under: Dragoman threads one level deep, so a
        # reply to a reply answers the first comment of its thread.
        root_id = source_comment.parent_id
        seen: set[str] = set()
        while parents.get(root_id, "0") not in {"0", ""} and root_id not in seen:
            seen.add(root_id)
            root_id = parents[root_id]
        root = made.get(root_id)
        body = source_comment.body.strip() or "…"
        if len(body) > COMMENT_LENGTH:
            body = body[: COMMENT_LENGTH - 1] + "…"
            self.report.notes.append(
                f"entry {entry.pk}: comment {source_comment.source_id} shortened "
                f"to {COMMENT_LENGTH} characters"
            )
        date = source_comment.date or entry.date
        author = self.bloggers.get(source_comment.author_key) if source_comment.author_key else None
        official = (
            (author is not None or source_comment.official)
            and root is not None
            and root.parent_id is None
            and root.status == Comment.Status.APPROVED
        )
        parent = None
        name = (source_comment.name or "Anonymous").strip()[:NAME_LENGTH] or "Anonymous"
        job_title = ""
        if official and author is None:
            parent, job_title = root, source_comment.job_title
        elif official:
            assert author is not None
            parent, name, job_title = root, author.display_name[:NAME_LENGTH], author.job_title
        elif source_comment.parent_id not in {"", "0"} and source_comment.parent_id in names:
            # A reply between readers: kept as a comment of its own, saying whom it answers.
            body = f"@{names[source_comment.parent_id]}: {body}"[:COMMENT_LENGTH]
        approved = source_comment.approved or official
        return Comment(
            entry=entry,
            blog_id=entry.blog_id or entry.get_parent().pk,
            parent=parent,
            name=name,
            email=clean_email(source_comment.email)[:254],
            body=body,
            body_html=comment_html(body),
            body_hash=body_hash(body),
            job_title=job_title,
            status=Comment.Status.APPROVED if approved else Comment.Status.PENDING,
            created_at=date,
            published_at=(source_comment.published or date) if approved else None,
            moderated_at=(source_comment.published or date) if approved else None,
        )

    def _redirects(self, entry: EntryPage, source_entry: SourceEntry) -> None:
        new_path = urlsplit(entry.url or "").path
        wanted: dict[str, None] = {}
        for old in source_entry.old_paths:
            parts = urlsplit(old)
            path = parts.path or "/"
            if parts.query:
                path = f"{path}?{parts.query}"
            normalised = Redirect.normalise_path(path)
            if normalised and normalised.rstrip("/") != new_path.rstrip("/"):
                wanted[normalised] = None
        if not wanted:
            return
        # One query for those made before (a re-run), one for the new ones.
        existing = Redirect.objects.filter(site=None, old_path__in=list(wanted))
        for redirect in existing:
            wanted.pop(redirect.old_path, None)
            if (redirect.redirect_page_id, redirect.redirect_link, redirect.is_permanent) != (
                entry.pk,
                "",
                True,
            ):
                redirect.redirect_page, redirect.redirect_link = entry, ""
                redirect.is_permanent = True
                redirect.save()
        Redirect.objects.bulk_create(
            [
                Redirect(old_path=path, site=None, redirect_page=entry, is_permanent=True)
                for path in wanted
            ]
        )
        self.report.redirects += len(wanted)


def _summary_from(blocks: list[tuple[str, Any]]) -> str:
    for kind, value in blocks:
        if kind == "paragraph":
            text = text_of(str(value))
            if text:
                if len(text) <= 280:
                    return text
                return text[:279].rsplit(" ", 1)[0] + "…"
    return ""


def _validation_text(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in error.message_dict.items())
    return " ".join(error.messages)


@contextmanager
def import_transaction(*, dry_run: bool) -> Iterator[None]:
    """A dry run imports everything in one transaction and rolls it back at the end, so the
    report is the one a real run would give, and nothing is left."""
    if not dry_run:
        yield
        return
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def batched(items: Iterable[T], *, size: int) -> Iterator[T]:
    """The items, ``size`` at a time inside one ``entries_batch``: the counts, search
    documents, page marks and announcement of a batch's entries are made once, at its end,
    in its transaction (each entry still in a transaction of its own, a savepoint there).
    A size of 1 or less: each entry takes the one path on its own."""
    if size <= 1:
        yield from items
        return
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        with blog_services.entries_batch():
            yield from chunk


def progress(items: Iterable[Any], *, total: int | None, show: bool, what: str) -> Iterable[Any]:
    if not show:
        return items
    from tqdm import tqdm

    return tqdm(items, total=total, unit=" " + what, mininterval=1.0)
