"""Wagtail's and Django's signals, forwarded to the blogs' actions; no rule lives here.

Wagtail publishes, unpublishes, moves and deletes pages itself and tells us by signals; the
admin saves bloggers as snippets. Each is one call to ``services``.
"""

from __future__ import annotations

from typing import Any

from wagtail.models import Page

from . import services
from .announcements import EntryChange
from .models import Blogger, BlogIndexPage, BlogPage, EntryPage, HomePage

NETWORK_PAGES = (HomePage, BlogIndexPage, BlogPage)


def ensure_network_after_migrate(sender: Any, **kwargs: Any) -> None:
    # A flushed database (a transactional test's teardown) has no page tree to build on.
    if Page.get_first_root_node() is None:
        return
    services.network_ensure()


def _forward(page: Page, change: EntryChange, blog_id: int | None = None) -> None:
    if isinstance(page, EntryPage):
        services.entry_changed(entry_id=page.pk, change=change, blog_id=blog_id)
    elif isinstance(page, NETWORK_PAGES):
        services.page_changed(page=page)


def page_published(sender: Any, instance: Page, **kwargs: Any) -> None:
    _forward(instance, EntryChange.PUBLISHED)


def page_unpublished(sender: Any, instance: Page, **kwargs: Any) -> None:
    _forward(instance, EntryChange.UNPUBLISHED)


def page_moved(sender: Any, instance: Page, parent_page_after: Page, **kwargs: Any) -> None:
    _forward(instance.specific_deferred, EntryChange.MOVED, blog_id=parent_page_after.pk)


def page_deleted(sender: Any, instance: Page, **kwargs: Any) -> None:
    # Connected per page type: deleting an entry also deletes its plain `Page` row, whose
    # signal (sent as a `Page`) is not heard.
    _forward(instance, EntryChange.DELETED)


def blogger_saved(sender: Any, instance: Blogger, **kwargs: Any) -> None:
    services.blogger_changed(blogger_id=instance.pk)


def privacy_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A view restriction (Wagtail's "Privacy") was set or lifted on a page."""
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        services.section_privacy_changed(page=page)


def connect(config: Any) -> None:
    from django.db.models.signals import post_delete, post_migrate, post_save
    from wagtail.models import PageViewRestriction
    from wagtail.signals import page_published as published
    from wagtail.signals import page_unpublished as unpublished
    from wagtail.signals import post_page_move

    post_migrate.connect(ensure_network_after_migrate, sender=config)
    published.connect(page_published, dispatch_uid="blogs_page_published")
    unpublished.connect(page_unpublished, dispatch_uid="blogs_page_unpublished")
    post_page_move.connect(page_moved, dispatch_uid="blogs_page_moved")
    for model in (*NETWORK_PAGES, EntryPage):
        post_delete.connect(page_deleted, sender=model, dispatch_uid=f"blogs_deleted_{model}")
    for signal in (post_save, post_delete):
        name = "saved" if signal is post_save else "deleted"
        signal.connect(blogger_saved, sender=Blogger, dispatch_uid=f"blogs_blogger_{name}")
        signal.connect(
            privacy_changed, sender=PageViewRestriction, dispatch_uid=f"blogs_privacy_{name}"
        )
