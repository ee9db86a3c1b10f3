"""Forward Django's and Wagtail's own signals to the publishing services (no rules here).

Changes of the project's content reach publishing as announcements (``apps.py``); these are
the two changes that no app of ours makes.
"""

from __future__ import annotations

from typing import Any

from . import services


def site_changed(sender: Any, **kwargs: Any) -> None:
    """A Wagtail site (its host names and home page) decides how every address is found."""
    services.site_refresh()


def release_installed(sender: Any, **kwargs: Any) -> None:
    """`migrate` runs once per release, and a release may change how every page looks: the
    pages and parts of pages kept by the previous one must not outlive it."""
    services.site_refresh()


def connect() -> None:
    from django.apps import apps
    from django.db.models.signals import post_delete, post_migrate, post_save
    from wagtail.models import Site

    for signal in (post_save, post_delete):
        signal.connect(
            site_changed,
            sender=Site,
            dispatch_uid=f"dragoman_publishing_site_{signal is post_save}",
        )
    post_migrate.connect(
        release_installed,
        sender=apps.get_app_config("publishing"),
        dispatch_uid="dragoman_publishing_release",
    )
