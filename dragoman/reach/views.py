"""The mirror list, as a page and as an Atom feed.

Not stored in the page cache: the list comes from the digital team's settings in the admin,
or the deployment's (which change with a restart and no content change that would refresh a
stored copy).
"""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from dragoman.core import hosts
from dragoman.core.queries import network_name

from . import queries


@require_safe
def mirror_list(request: HttpRequest) -> HttpResponse:
    addresses = queries.network_addresses(on_onion=hosts.is_onion_host(request.get_host()))
    return render(request, "reach/mirror_list.html", {"addresses": addresses})


class MirrorFeed(Feed):
    """One item per address: a feed reader shows a new mirror the day it is added."""

    feed_type = Atom1Feed

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.on_onion = hosts.is_onion_host(request.get_host())
        return super().__call__(request, *args, **kwargs)

    def title(self) -> str:
        return _("Addresses of %(site)s") % {"site": network_name()}

    def subtitle(self) -> str:
        return _("Where to read %(site)s when its main address is blocked.") % {
            "site": network_name()
        }

    def link(self) -> str:
        return reverse("reach:mirror_list")

    def items(self) -> list[queries.Address]:
        return queries.network_addresses(on_onion=self.on_onion)

    def item_title(self, item: queries.Address) -> str:
        return f"{item.label}: {item.url}"

    def item_description(self, item: queries.Address) -> str:
        return item.url

    def item_link(self, item: queries.Address) -> str:
        return item.url

    def item_guid(self, item: queries.Address) -> str:
        return item.url

    def item_categories(self, item: queries.Address) -> list[str]:
        return [item.kind]
