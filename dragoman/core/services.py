"""Writes of the network's own settings."""

from __future__ import annotations

from django.db import transaction

from .changes import EVERY_PAGE, ContentChanged, announce
from .models import NetworkName, NetworkSettings


def network_names_refresh() -> None:
    """Every page shows the network's name: after it changes, none may be served as before."""
    announce(ContentChanged(shown_on=EVERY_PAGE))


@transaction.atomic
def network_names_set(*, names: dict[str, tuple[str, str]]) -> NetworkSettings:
    """Set the (name, description) of each language given; other languages are left alone."""
    network = NetworkSettings.load()
    for language, (name, description) in names.items():
        row = NetworkName.objects.filter(network=network, language=language).first()
        row = row or NetworkName(network=network, language=language)
        row.name, row.description = name, description
        row.full_clean()
        row.save()
    network_names_refresh()
    return network
