"""The addresses of the network a reader may use: the main one, the mirrors, the onion."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dragoman.core import hosts


@dataclass(frozen=True)
class Address:
    kind: str  # "main", "mirror" or "onion": a CSS modifier and the feed item's category
    url: str
    label: str | Promise


def network_addresses(*, on_onion: bool) -> list[Address]:
    """Every address, main first; on the onion service only the onion's, since its readers
    must not be led back to the clear web (they have the other addresses already)."""
    onion = hosts.onion_origin()
    onion_address = Address("onion", onion + "/", _("Onion service (Tor Browser only)"))
    if on_onion:
        return [onion_address]
    addresses = [Address("main", hosts.main_origin() + "/", _("Main address"))]
    addresses += [Address("mirror", origin + "/", _("Mirror")) for origin in hosts.mirror_origins()]
    if onion:
        addresses.append(onion_address)
    return addresses
