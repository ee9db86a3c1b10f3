"""Every write to blogs, bloggers and entries.

Pages go through Wagtail's tree and revisions, so that what a service creates looks to
editors exactly like what they would have made in the admin (history, drafts, publishing).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page

from dragoman.missions.models import Mission

from .models import Blogger, BlogIndexPage, BlogPage, EntryAuthor, EntryPage, HomePage


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
) -> EntryPage:
    """Create an entry on a blog as a first revision; publish it unless told not to.

    The publication date is the one readers see and archives use; it may lie in the past
    (imported entries) and is independent of when the revision was made.
    """
    if not authors:
        raise ValueError("An entry needs at least one author.")
    entry = EntryPage(
        title=title,
        slug=unique_child_slug(parent=blog, title=title),
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
    blog.add_child(instance=entry)
    revision = entry.save_revision(user=acting_user, log_action=True)
    if publish:
        revision.publish(user=acting_user)
        entry.refresh_from_db()
    return entry


def entry_blog_record(*, entry_id: int, blog_id: int) -> None:
    """Note the blog an entry now stands under, after Wagtail moved it: Wagtail moves a page
    through the tree's own queries and saves it as a plain Page, so EntryPage.save, which
    keeps the column otherwise, does not see the new parent."""
    EntryPage.objects.filter(pk=entry_id).update(blog_id=blog_id)


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
