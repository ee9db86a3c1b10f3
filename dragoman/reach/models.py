"""The addresses the digital team publishes for readers whose way to the main one is blocked:
mirrors and the onion service, edited in the admin (Settings → Mirrors and onion service).

The deployment's settings (``DRAGOMAN_MIRROR_HOSTS``, ``DRAGOMAN_ONION_ADDRESS``) give the
defaults: an empty field here leaves them in force. A host named here must be one the server
answers for (``ALLOWED_HOSTS``): the mirror's DNS and TLS, and Tor's configuration, are the
operator's (docs/reach.md).
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http.request import validate_host
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

# A version 3 onion address: 56 base32 characters (the service's public key and a checksum).
ONION = re.compile(r"^[a-z2-7]{56}\.onion$")
HOST = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$"
)


def host_names(text: str) -> list[str]:
    """The host names of a text, one a line, as readers type them (a pasted address keeps
    only its host); blank lines dropped, each name once."""
    names: list[str] = []
    for line in text.splitlines():
        name = line.strip().lower().removeprefix("https://").removeprefix("http://")
        name = name.split("/", 1)[0]
        if name and name not in names:
            names.append(name)
    return names


def onion_name(text: str) -> str:
    return host_names(text)[0] if host_names(text) else ""


@register_setting(icon="globe")
class ReachSettings(BaseGenericSetting):
    mirror_hosts = models.TextField(
        _("mirrors"),
        blank=True,
        help_text=_(
            "One host name a line, such as mirror.example.org. "
            "Empty: the mirrors the server was set up with."
        ),
    )
    onion_address = models.CharField(
        _("onion address"),
        max_length=80,
        blank=True,
        help_text=_(
            "The onion service's address (56 letters and digits, then .onion). "
            "Empty: the one the server was set up with, if any."
        ),
    )

    panels = [FieldPanel("mirror_hosts"), FieldPanel("onion_address")]

    class Meta:
        verbose_name = _("mirrors and onion service")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @property
    def mirrors(self) -> list[str]:
        return host_names(self.mirror_hosts)

    @property
    def onion(self) -> str:
        return onion_name(self.onion_address)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list[Any]] = {}
        for name in self.mirrors:
            if not HOST.match(name):
                errors.setdefault("mirror_hosts", []).append(
                    _("“%(name)s” is not a host name.") % {"name": name}
                )
            elif not validate_host(name, settings.ALLOWED_HOSTS):
                errors.setdefault("mirror_hosts", []).append(
                    _(
                        "The server does not answer for “%(name)s” yet: ask the operator to "
                        "point it at the server and allow it (DRAGOMAN_ALLOWED_HOSTS)."
                    )
                    % {"name": name}
                )
        onion = self.onion
        if onion and not ONION.match(onion):
            errors["onion_address"] = [
                _("An onion address is 56 letters (a to z) and digits (2 to 7), then .onion.")
            ]
        elif onion and not validate_host(onion, settings.ALLOWED_HOSTS):
            errors["onion_address"] = [
                _(
                    "The server does not answer for this onion address yet: ask the operator "
                    "to set up the onion service (docs/reach.md)."
                )
            ]
        elif onion and settings.SECURE_SSL_REDIRECT and not settings.DRAGOMAN_ONION_ADDRESS:
            # Without an onion address in its settings, the server redirects every host to
            # HTTPS, which an onion service cannot follow.
            errors["onion_address"] = [
                _(
                    "The server is not set up for an onion service: ask the operator to "
                    "set it up (docs/reach.md)."
                )
            ]
        if errors:
            raise ValidationError(errors)
