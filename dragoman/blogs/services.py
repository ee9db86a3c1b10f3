"""Every write to blogs, bloggers and entries, and the one path every change of them takes.

Pages go through Wagtail's tree and revisions, so that what a service creates looks to
editors exactly like what they would have made in the admin (history, drafts, publishing).
Wagtail then sends its signals (published, unpublished, moved, deleted), which ``signals.py``
forwards to the actions below (``entry_changed``, ``page_changed``, ...): each keeps the
copies the blogs hold and announces the change (``announcements.py``) to whoever listens.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page

from dragoman.core.changes import EVERY_PAGE, ContentChanged, Dependency, announce, shown_on
from dragoman.missions.models import Mission

from . import counts, dependencies, footprints
from .announcements import (
    BlogChanged,
    BloggerChanged,
    EntriesChanged,
    EntryChange,
    EntryChanged,
    NetworkPageChanged,
    SectionPrivacyChanged,
)
from .models import (
    Blogger,
    BlogIndexPage,
    BlogPage,
    EntryAuthor,
    EntryPage,
    HomePage,
    entry_copies_deferred,
    entry_copies_write,
)


def unique_child_slug(*, parent: Page, title: str) -> str:
    """A slug for a new child page, unique among its siblings."""
    base = slugify(title, allow_unicode=True)[:70].strip("-") or "entry"
    taken = set(parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def blogger_create(
    *,
    display_name: str,
    slug: str,
    job_title: str,
    mission: Mission | None = None,
    bio: str = "",
    photo: Any = None,
    user: Any = None,
) -> Blogger:
    blogger = Blogger(
        display_name=display_name,
        slug=slug,
        job_title=job_title,
        mission=mission,
        bio=bio,
        photo=photo,
        user=user,
    )
    blogger.full_clean()
    blogger.save()
    return blogger


@transaction.atomic
def blog_create(
    *,
    index: BlogIndexPage,
    title: str,
    slug: str,
    description: str,
    bloggers: Sequence[Blogger],
    mission: Mission | None = None,
    top_image: Any = None,
    language: str = "en",
    acting_user: AbstractBaseUser | None = None,
) -> BlogPage:
    blog = BlogPage(
        title=title,
        slug=slug,
        description=description,
        mission=mission,
        top_image=top_image,
        language=language,
        owner=acting_user,
        live=False,
    )
    blog.bloggers.set(list(bloggers))
    index.add_child(instance=blog)
    blog.save_revision(user=acting_user, log_action=True).publish(user=acting_user)
    # Publishing saves a copy made from the revision: without this, the caller's blog would
    # still say it is a draft (live False), and unpublishing it would silently do nothing.
    blog.refresh_from_db()
    return blog


@transaction.atomic
def entry_create(
    *,
    blog: BlogPage,
    title: str,
    summary: str,
    body: list[tuple[str, Any]],
    authors: Sequence[Blogger],
    date: datetime,
    tags: Iterable[str] = (),
    language: str = "en",
    comments_open: bool = True,
    publish: bool = True,
    acting_user: AbstractBaseUser | None = None,
    slug: str | None = None,
) -> EntryPage:
    """Create an entry on a blog as a first revision; publish it unless told not to.

    The publication date is the one readers see and archives use; it may lie in the past
    (imported entries) and is independent of when the revision was made. An import gives
    the slug the entry had on the old site (made unique among the blog's entries).

    Inside ``entries_batch()`` (an import) the entry is written in one save, leaving what
    this path leaves (``_entry_insert``).
    """
    if not authors:
        raise ValueError("An entry needs at least one author.")
    entry = EntryPage(
        title=title,
        slug=unique_child_slug(parent=blog, title=slug or title),
        summary=summary,
        body=body,
        date=date,
        language=language,
        comments_open=comments_open,
        owner=acting_user,
        live=False,  # a draft until its revision is published
    )
    # The credit line follows this order; without sort_order the database picks one.
    entry.entry_authors.set(
        [EntryAuthor(blogger=author, sort_order=order) for order, author in enumerate(authors)]
    )
    entry.tags.set(list(tags))
    if _batch.get() is not None:
        return _entry_insert(blog=blog, entry=entry, publish=publish, acting_user=acting_user)
    blog.add_child(instance=entry)
    revision = entry.save_revision(user=acting_user, log_action=True)
    if publish:
        revision.publish(user=acting_user)
        entry.refresh_from_db()
    return entry


# The fields a first revision holds in ``entry_create``'s own path: serialised after the tree
# insert, before the revision and its publication are written onto the page.
_FIRST_REVISION_FIELDS = {
    "live": False,
    "has_unpublished_changes": False,
    "first_published_at": None,
    "last_published_at": None,
    "latest_revision": None,
    "live_revision": None,
    "latest_revision_created_at": None,
}


def _entry_insert(
    *, blog: BlogPage, entry: EntryPage, publish: bool, acting_user: AbstractBaseUser | None
) -> EntryPage:
    """``entry_create`` inside a batch (an import): the entry written as its own path leaves
    it, in one save instead of three.

    Wagtail's path inserts a draft into the tree, saves a first revision onto it, then
    publishes a copy made from that revision: the page, its authors and tags written three
    times, validated twice, and most of an import's time. Here the page goes into the tree
    already as it ends there (live or a draft, its first revision as latest and live one,
    the publication times), validated once by that save; then the revision row, the two
    revision links, and the history Wagtail writes (created, edited, published: the admin
    shows and opens the revision as it would). The signals of a publication are sent as
    Wagtail sends them, so that their listeners do what they do for any publication (ours
    note the entry for the batch's one path, at its end). tests/migration/test_fast_path.py
    holds the result to ``entry_create``'s own path, field by field.
    """
    from wagtail.log_actions import get_active_log_context
    from wagtail.models import PageLogEntry, Revision
    from wagtail.signals import page_published, published

    now = timezone.now()
    entry.draft_title = entry.title
    entry.latest_revision_created_at = now
    entry.has_unpublished_changes = not publish
    if publish:
        entry.live = True
        entry.first_published_at = entry.last_published_at = now
    # The one save: Page.save validates a live page whole (a draft: its title and slug, as
    # the draft's own insert would; its revision is validated below) and logs the creation.
    blog.add_child(instance=entry)
    if not publish:
        entry.full_clean()
    content = entry.serializable_data()
    content.update(_FIRST_REVISION_FIELDS)
    content["draft_title"] = entry.title
    # The copies as the draft's own save wrote them.
    for row in [*content["tagged_items"], *content["entry_authors"]]:
        row.update(entry_live=False, entry_date=entry.date)
    revision = Revision.objects.create(
        content_object=entry,
        base_content_type=entry.get_base_content_type(),
        user=acting_user,
        content=content,
        object_str=str(entry),
        created_at=now,
    )
    entry.latest_revision = revision
    entry.live_revision = revision if publish else None
    Page.objects.filter(pk=entry.pk).update(
        latest_revision=revision, live_revision=entry.live_revision
    )
    # Wagtail's log entries for the revision and its publication, as ``log`` writes them,
    # in one insert (``log`` validates each row with a query per link it holds).
    context = get_active_log_context()
    actions = ["wagtail.edit", "wagtail.publish"] if publish else ["wagtail.edit"]
    PageLogEntry.objects.bulk_create(
        PageLogEntry(
            page=entry,
            content_type=ContentType.objects.get_for_model(entry, for_concrete_model=False),
            label=entry.get_admin_display_title(),
            action=action,
            timestamp=timezone.now(),
            data={},
            user=acting_user or context.user,
            uuid=context.uuid,
            revision=revision,
            content_changed=True,
        )
        for action in actions
    )
    if publish:
        published.send(sender=EntryPage, instance=entry, revision=revision)
        page_published.send(sender=EntryPage, instance=entry, revision=revision)
    return entry


def entry_changed(*, entry_id: int, change: EntryChange, blog_id: int | None = None) -> None:
    """The one path of every change to an entry that readers can see.

    Wagtail has already written the change (a revision published, the page unpublished,
    moved or deleted), or the entry's date has just passed. In this order, in one
    transaction:

    1. when it moved, the blog it now stands under (Wagtail moves a page through the tree's
       own queries and saves it as a plain Page, so ``EntryPage.save`` does not see it);
    2. its footprint: where it shows now, against where it showed after its last change;
    3. the tag and month counts the change can have moved (``counts.py``);
    4. the announcement (``EntryChanged``), naming every page that shows or showed it: its
       own, its neighbours' (they link to it by title), its translations', its blog's,
       bloggers', tags', months' and the network's. Listeners inside the transaction keep
       their copies (the search document) and mark those pages stale; the others hear of it
       after the commit.

    Inside ``entries_batch()`` (an import), step 1 happens at once and steps 2 to 4 wait for
    the end of the batch, where they run once for all its entries.
    """
    batch = _batch.get()
    if batch is not None:  # no transaction of its own: one statement (a savepoint per entry)
        if change is EntryChange.MOVED and blog_id is not None:
            EntryPage.objects.filter(pk=entry_id).update(blog_id=blog_id)
        batch.entry_ids[entry_id] = None
        return
    with transaction.atomic():
        if change is EntryChange.MOVED and blog_id is not None:
            EntryPage.objects.filter(pk=entry_id).update(blog_id=blog_id)
        before, now, pages = _footprint_step(entry_id)
        _listing_counts_refresh(before, now, everything=change is EntryChange.CAME_DUE)
        announce(EntryChanged(entry_id=entry_id, change=change.value, shown_on=shown_on(pages)))


def _footprint_step(
    entry_id: int,
) -> tuple[footprints.Footprint | None, footprints.Footprint, set[Dependency]]:
    """Step 2 of the one path: the entry's footprint recorded anew; its footprints before
    and now, and the pages that show or showed it."""
    before = footprints.recorded(entry_id)
    now = footprints.current(entry_id)
    pages = now.dependencies()
    neighbours = footprints.neighbour_ids(now)
    if before is not None:
        pages |= before.dependencies()
        if (before.blog_id, before.date) != (now.blog_id, now.date):
            neighbours |= footprints.neighbour_ids(before)
    # Its versions in other languages link to it ("This entry in other languages").
    pages.update(dependencies.entry(pk) for pk in neighbours | translation_ids(entry_id))
    footprints.record(now)
    return before, now, pages


@dataclass
class _Batch:
    entry_ids: dict[int, None] = field(default_factory=dict)  # in the order they changed
    private_paths: dict[str, None] = field(default_factory=dict)


_batch: ContextVar[_Batch | None] = ContextVar("dragoman_entries_batch", default=None)


@contextmanager
def entries_batch() -> Iterator[None]:
    """Many entries written in a row (an import), and the one path taken once for all.

    Inside, every change is written as usual, through Wagtail's tree and revisions, each
    caller's transaction (a savepoint here) rolled back alone if it fails. The follow-ups of
    ``entry_changed`` and ``section_privacy_changed`` wait for the end of the batch, then
    run once, by the same rules, in the batch's transaction: each entry's footprint; the
    counts, recounted once for the union of the tags, months and blogs the entries touched
    (rebuilt whole if a section's privacy changed); one ``EntriesChanged`` announcement,
    so that the search documents are written together and the page cache marks the union
    of the pages once. A crash loses the whole batch, never its copies alone.

    Bulk writes are history, not news: ``EntriesChanged`` is no ``EntryChanged``, so
    subscribers are not emailed and followers not sent the entries. A batch inside a batch
    is part of the outer one.
    """
    if _batch.get() is not None:
        yield
        return
    batch = _Batch()
    token = _batch.set(batch)
    try:
        with transaction.atomic():
            with entry_copies_deferred() as waiting:
                yield
            _batch.reset(token)
            # First: the counts and the search documents below read them.
            if waiting:
                entry_copies_write(entry_ids=list(waiting))
            _batch_flush(batch)
    finally:
        if _batch.get() is batch:
            _batch.reset(token)


def in_entries_batch() -> bool:
    return _batch.get() is not None


def _batch_flush(batch: _Batch) -> None:
    # As in ``section_privacy_changed``: its announcement first, so that the search index
    # and the counts after it read the tree as it now is.
    for path in batch.private_paths:
        announce(SectionPrivacyChanged(path=path, shown_on=EVERY_PAGE))
    if not batch.entry_ids:
        if batch.private_paths:
            counts.rebuild()
        return
    pages: set[Dependency] = set()
    tags: set[str] = set()
    months: set[date] = set()
    blog_ids: set[int] = set()
    # ``_footprint_step`` for every entry of the batch, each kind of row read and written
    # once for all of them (the neighbours still one query each: their pages link to it).
    entry_ids = list(batch.entry_ids)
    befores = footprints.recorded_many(entry_ids)
    nows = footprints.current_many(entry_ids)
    translations = translation_ids_many(entry_ids)
    for entry_id in entry_ids:
        before, now = befores.get(entry_id), nows[entry_id]
        shown = now.dependencies()
        neighbours = footprints.neighbour_ids(now)
        if before is not None:
            shown |= before.dependencies()
            if (before.blog_id, before.date) != (now.blog_id, now.date):
                neighbours |= footprints.neighbour_ids(before)
        shown.update(dependencies.entry(pk) for pk in neighbours | translations[entry_id])
        pages |= shown
        for footprint in (before, now):
            if footprint is None:
                continue
            tags.update(footprint.tag_slugs)
            if footprint.date is not None:
                months.add(counts.month_of(footprint.date))
            if footprint.blog_id is not None:
                blog_ids.add(footprint.blog_id)
    footprints.record_many(list(nows.values()))
    if batch.private_paths:
        counts.rebuild()
    else:
        counts.recount(tag_slugs=tags, months=months, blog_ids=blog_ids)
    announce(EntriesChanged(entry_ids=tuple(batch.entry_ids), shown_on=shown_on(pages)))


def _listing_counts_refresh(
    before: footprints.Footprint | None, now: footprints.Footprint, *, everything: bool
) -> None:
    """Count again the tags and months the change can have moved, on the network and blogs."""

    def place(footprint: footprints.Footprint) -> tuple[bool, int | None, object]:
        month = counts.month_of(footprint.date) if footprint.date else None
        return footprint.listed(), footprint.blog_id, month

    known = [footprint for footprint in (before, now) if footprint is not None]
    if everything or before is None or place(before) != place(now):
        tags = {slug for footprint in known for slug in footprint.tag_slugs}
        months = {counts.month_of(footprint.date) for footprint in known if footprint.date}
    else:  # same place in the lists: only tags added or removed count
        tags = set(before.tag_slugs) ^ set(now.tag_slugs)
        months = set()
    if tags or months:
        blog_ids = {footprint.blog_id for footprint in known if footprint.blog_id is not None}
        counts.recount(tag_slugs=tags, months=months, blog_ids=blog_ids)


def translation_ids(entry_id: int) -> set[int]:
    """The other entries of the entry's translation group (empty for a deleted entry)."""
    original_id = (
        EntryPage.objects.filter(pk=entry_id).values_list("translation_of_id", flat=True).first()
        or entry_id
    )
    group = EntryPage.objects.translation_group(original_id).values_list("pk", flat=True)
    return set(group) - {entry_id}


def translation_ids_many(entry_ids: Sequence[int]) -> dict[int, set[int]]:
    """``translation_ids`` of many entries, in two queries."""
    originals = {
        pk: original_id or pk
        for pk, original_id in EntryPage.objects.filter(pk__in=entry_ids).values_list(
            "pk", "translation_of_id"
        )
    }
    groups: dict[int, set[int]] = {original: set() for original in originals.values()}
    for pk, original_id in EntryPage.objects.filter(
        Q(pk__in=groups) | Q(translation_of_id__in=groups)
    ).values_list("pk", "translation_of_id"):
        for original in (pk, original_id):
            if original in groups:
                groups[original].add(pk)
    return {
        entry_id: groups[originals[entry_id]] - {entry_id} if entry_id in originals else set()
        for entry_id in entry_ids
    }


DUE_CHECKED_KEY = "dragoman:due-checked-until"


def entries_came_due() -> int:
    """Every live entry whose date has passed since the last call goes the one path (it now
    joins the lists, although nothing in it changed); returns how many.

    An entry published with a later date is hidden from lists until then, and nothing
    changes in the database when the moment comes: the scheduler calls this every minute
    (``dragoman publish-scheduled``). The moment of the last call is kept in the shared
    cache; without it, the last day is looked at.
    """
    until = timezone.now()
    since = cache.get(DUE_CHECKED_KEY) or until - timedelta(days=1)
    due = EntryPage.objects.visible(now=until).filter(date__gt=since).values_list("pk")
    ids = [pk for (pk,) in due]
    for entry_id in ids:
        entry_changed(entry_id=entry_id, change=EntryChange.CAME_DUE)
    cache.set(DUE_CHECKED_KEY, until, timeout=None)
    return len(ids)


@transaction.atomic
def page_changed(*, page: Page) -> None:
    """A page of the tree other than an entry was published, unpublished, moved or deleted.

    Its title and address show on every page (menus, bylines, breadcrumbs): all refresh.
    """
    if isinstance(page, BlogPage):
        announce(BlogChanged(blog_id=page.pk, shown_on=EVERY_PAGE))
    else:
        announce(NetworkPageChanged(page_id=page.pk, shown_on=EVERY_PAGE))


@transaction.atomic
def blogger_changed(*, blogger_id: int) -> None:
    """A blogger's profile was saved or deleted (in the admin, or by ``authoring``): their
    name shows in bylines, author boxes and lists everywhere."""
    announce(BloggerChanged(blogger_id=blogger_id, shown_on=EVERY_PAGE))


@transaction.atomic
def section_privacy_changed(*, page: Page) -> None:
    """A page became private or public again: the entries under it leave or join every
    list, so every count is counted again and every page refreshed.

    The announcement comes first here: its listeners inside the transaction mark every page
    and every remembered part of one stale (the private sections among them), so that the
    search index and the counts after it read the tree as it now is.
    """
    batch = _batch.get()
    if batch is not None:  # once, at the end of the batch
        batch.private_paths[page.path] = None
        return
    announce(SectionPrivacyChanged(path=page.path, shown_on=EVERY_PAGE))
    counts.rebuild()


def listing_counts_rebuild() -> None:
    """Count every tag and month again (after bulk writes); refresh every page if they moved."""
    with transaction.atomic():
        if counts.rebuild():
            announce(ContentChanged(shown_on=EVERY_PAGE))


@transaction.atomic
def network_ensure(*, site_name: str | None = None) -> tuple[HomePage, BlogIndexPage]:
    """Make sure the network's home page, blog index and site exist; return the first two.

    Runs after every migrate, so that a new installation is a working (empty) network and
    an existing one is left as it is.
    """
    from django.conf import settings
    from wagtail.models import Site

    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's placeholder welcome page (and the site pointing at it) gives way.
        for placeholder in root.get_children().filter(content_type__model="page"):
            placeholder.delete()
        home = HomePage(title=site_name or settings.SITE_NAME, slug="home")
        root.add_child(instance=home)
        home.save_revision(log_action=True).publish()
    # The public address comes from DRAGOMAN_BASE_URL, so full URLs (feeds, share links,
    # canonical links) are right behind a proxy too.
    address = urlsplit(settings.BASE_URL)
    hostname = address.hostname or "localhost"
    port = address.port or (443 if address.scheme == "https" else 80)
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    if site.pk is None or (site.root_page_id, site.hostname, site.port) != (
        home.pk,
        hostname,
        port,
    ):
        site.root_page = home
        site.hostname, site.port = hostname, port
        site.site_name = site_name or settings.SITE_NAME
        site.save()
    index = BlogIndexPage.objects.first()
    if index is None:
        index = BlogIndexPage(title="Blogs", slug="blogs")
        home.add_child(instance=index)
        index.save_revision(log_action=True).publish()
    return home, index


@transaction.atomic
def best_bits_set(*, page: HomePage | BlogPage, entries: Sequence[EntryPage]) -> None:
    """Replace a home or blog page's best bits with these entries, in this order."""
    bits = [
        page.best_bits.model(page=page, entry=entry, sort_order=order)
        for order, entry in enumerate(entries)
    ]
    page.best_bits.all().delete()
    page.best_bits.model.objects.bulk_create(bits)
    # The page shows them, and keeps their list (`queries.best_bit_ids`) until it refreshes.
    announce(ContentChanged(shown_on=shown_on([dependencies.picks_shown_on(page)])))


@transaction.atomic
def entry_translation_create(
    *, entry: EntryPage, language: str, acting_user: AbstractBaseUser | None = None
) -> EntryPage:
    """Start a translation of an entry: a draft copy in the same blog, linked to the original.

    The copy keeps the authors, tags and body so the translator works over the text they
    translate; it stays a draft until someone publishes it on its own.
    """
    original = entry.translation_of or entry
    if language not in {code for code, _name in settings.CONTENT_LANGUAGES}:
        raise ValidationError({"language": f"Unknown language: {language!r}."})
    if EntryPage.objects.translation_group(original.pk).filter(language=language).exists():
        raise ValidationError({"language": "This entry already has a version in this language."})
    blog = original.get_parent()
    if acting_user is not None and not blog.permissions_for_user(acting_user).can_add_subpage():
        raise PermissionDenied("You may not write on this blog.")
    copy = original.copy(
        to=blog,
        update_attrs={
            "slug": unique_child_slug(parent=blog, title=f"{original.title} {language}"),
            "language": language,
            "translation_of": original,
            "date": timezone.now(),
        },
        keep_live=False,
        copy_revisions=False,
        user=acting_user,
    )
    return EntryPage.objects.get(pk=copy.pk)


@transaction.atomic
def entry_translation_link(
    *, entry: EntryPage, original: EntryPage, acting_user: AbstractBaseUser | None = None
) -> EntryPage:
    """Mark an existing entry as a translation of `original`, as a new revision (published
    at once if the entry is live, so the public page and the draft agree)."""
    entry.translation_of = original
    entry.clean_translation_of()
    revision = entry.save_revision(user=acting_user, log_action=True)
    if entry.live:
        revision.publish(user=acting_user)
    entry.refresh_from_db()
    return entry
