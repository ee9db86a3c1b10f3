"""Forward Wagtail's and Django's change signals to the publishing services (no rules here)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import services


def page_changed(sender: Any, instance: Page, **kwargs: Any) -> None:
    from dragoman.blogs.models import EntryPage

    if isinstance(instance, EntryPage):
        services.entry_pages_refresh(entry_id=instance.pk)
    else:
        services.site_refresh()


def page_moved(sender: Any, instance: Page, **kwargs: Any) -> None:
    page_changed(sender, instance.specific_deferred, **kwargs)


def page_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    # Deleting an entry also deletes its plain `Page` row (sent as a `Page`): that one is
    # ignored, the specific page's signal does the work.
    if isinstance(instance, Page) and type(instance) is not Page:
        page_changed(sender, instance, **kwargs)


def shown_everywhere_changed(sender: Any, **kwargs: Any) -> None:
    """A blogger's or mission's details show on many pages, and a site (its host names and
    home page) decides how every address is found: refresh them all."""
    services.site_refresh()


def privacy_changed(sender: Any, **kwargs: Any) -> None:
    """A page became private or public again: its entries join or leave every list."""
    services.site_refresh()  # first: what is remembered of private sections is now stale
    services.listing_counts_rebuild()


def release_installed(sender: Any, **kwargs: Any) -> None:
    """`migrate` runs once per release, and a release may change how every page looks: the
    pages and parts of pages kept by the previous one must not outlive it."""
    services.site_refresh()


def connect() -> None:
    from django.apps import apps
    from django.db.models.signals import post_migrate
    from wagtail.models import PageViewRestriction, Site

    from dragoman.blogs.models import Blogger
    from dragoman.missions.models import Mission

    page_published.connect(page_changed, dispatch_uid="dragoman_publishing_published")
    page_unpublished.connect(page_changed, dispatch_uid="dragoman_publishing_unpublished")
    post_page_move.connect(page_moved, dispatch_uid="dragoman_publishing_moved")
    post_delete.connect(page_deleted, dispatch_uid="dragoman_publishing_deleted")
    for model in (Blogger, Mission, Site):
        for signal in (post_save, post_delete):
            signal.connect(
                shown_everywhere_changed,
                sender=model,
                dispatch_uid=f"dragoman_publishing_{model.__name__}_{signal is post_save}",
            )
    post_migrate.connect(
        release_installed,
        sender=apps.get_app_config("publishing"),
        dispatch_uid="dragoman_publishing_release",
    )
    for signal in (post_save, post_delete):
        signal.connect(
            privacy_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"dragoman_publishing_privacy_{signal is post_save}",
        )
