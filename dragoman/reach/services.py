"""Writes of the reach settings: the published mirrors and onion address."""

from __future__ import annotations

from django.db import transaction

from dragoman.core import hosts
from dragoman.core.changes import EVERY_PAGE, ContentChanged, announce

from .models import ReachSettings


def addresses_in_force() -> tuple[list[str], str]:
    """The mirrors and onion address the digital team set (empty: the settings' defaults);
    read by ``core.hosts`` for its host decisions, again in each process after every change
    of the page cache's epoch."""
    found = ReachSettings.objects.order_by("pk").first()
    if found is None:
        return [], ""
    return found.mirrors, found.onion


def addresses_changed() -> None:
    """Every page names the mirror list and, on the clear web, the onion address
    (``Onion-Location``), and each host keeps its own copies: none may be served as before.
    Refreshing every page also moves the page cache's epoch, after the commit: the other
    processes read the addresses again at their next request (``apps.py``)."""
    hosts.addresses_forget()
    transaction.on_commit(hosts.addresses_forget)
    announce(ContentChanged(shown_on=EVERY_PAGE))


@transaction.atomic
def addresses_set(*, mirror_hosts: list[str], onion_address: str) -> ReachSettings:
    """Publish these mirrors and this onion address (empty: the settings' defaults)."""
    found = ReachSettings.load()
    found.mirror_hosts = "\n".join(mirror_hosts)
    found.onion_address = onion_address
    found.full_clean()
    found.save()  # the post_save signal announces the change (as the admin's form does)
    return found
