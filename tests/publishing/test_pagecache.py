"""Nothing the page cache's key ignores may reach a page the cache stores.

The key of a stored page is its path and `page` alone (`pagecache.page_key`), and every later
reader gets its bytes. So every cacheable page, rendered with parameters a visitor added
(`?utm_source=...`, junk, a second spelling of the page number), must be byte for byte the
page rendered without them, in every interface language.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import get_resolver, reverse
from django.utils import translation

from dragoman.blogs.models import BlogIndexPage, HomePage
from dragoman.publishing import pagecache
from dragoman.publishing.dependencies import cacheable_routes
from tests.campaigns.conftest import campaign_create
from tests.factories import EntryFactory

pytestmark = pytest.mark.django_db

MARKER = "zq-visitor-marker"
EXTRA = [
    f"utm_source={MARKER}&{MARKER}=1&q={MARKER}&format={MARKER}&language={MARKER}&blog={MARKER}",
]
# English, and a right-to-left language whose links all carry a prefix.
LANGUAGES = ("en", "ar")
# The public forms' signed timestamp changes every second: the only honest difference. Forms
# write the input's attributes in different orders, so the value is found anywhere in its tag.
STAMP = re.compile(r'<input[^>]*\bname="stamp"[^>]*>')
VALUE = re.compile(r'\bvalue="[^"]*"')


def route_arguments(network: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Arguments for each cacheable route, from its parameter names."""
    by_parameter = {
        "blog": network["blog"].slug,
        "tag": "water",
        "year": f"{network['entry'].date:%Y}",
        "month": f"{network['entry'].date:%m}",
        "language": "fr",
        "campaign_id": str(network["campaign"].pk),
        "country": "JO",
    }
    arguments = {}
    for name in cacheable_routes():
        kwargs = {}
        for parameter in route_parameters(name):
            if parameter == "slug":
                kwargs["slug"] = (
                    network["mission"].slug
                    if name == "blogs:mission_detail"
                    else network["blogger"]
                )
            else:
                kwargs[parameter] = by_parameter[parameter]
        arguments[name] = kwargs
    return arguments


def route_parameters(name: str) -> list[str]:
    """The parameter names of a named route, looked up in its namespace's resolver."""
    namespace, _, url_name = name.rpartition(":")
    resolver = get_resolver()
    if namespace:
        for pattern in resolver.url_patterns:
            for child in getattr(pattern, "url_patterns", []):
                if getattr(child, "namespace", None) == namespace:
                    resolver = child
    for possibility, _pattern, _defaults, _converters in resolver.reverse_dict.getlist(url_name):
        return list(possibility[0][1])
    raise AssertionError(f"no route {name}")


@pytest.fixture
def network() -> dict[str, Any]:
    entry = EntryFactory(title="Water for the valley", tags=["water"], language="fr")
    blog = entry.blog
    return {
        "entry": entry,
        "blog": blog,
        "blogger": blog.bloggers.get().slug,
        "mission": blog.mission,
        "campaign": campaign_create(),
    }


def cacheable_addresses(network: dict[str, Any]) -> list[str]:
    addresses = []
    for name, kwargs in route_arguments(network).items():
        for code in LANGUAGES:
            with translation.override(code):
                addresses.append(reverse(name, kwargs=kwargs))
    pages = [
        HomePage.objects.get(),
        BlogIndexPage.objects.get(),
        network["blog"],
        network["entry"],
    ]
    for page in pages:
        path = page.url.strip("/")
        for code in LANGUAGES:
            with translation.override(code):
                addresses.append(reverse("wagtail_serve", args=[f"{path}/" if path else ""]))
    return sorted(set(addresses))


def _blank_stamp(match: re.Match[str]) -> str:
    return VALUE.sub('value=""', match.group(0))


def body(client: Client, address: str) -> tuple[int, str]:
    response = client.get(address)
    return response.status_code, STAMP.sub(_blank_stamp, response.content.decode())


@override_settings(DRAGOMAN_PAGE_CACHE=False)
def test_every_cacheable_page_is_the_same_with_a_visitors_extra_parameters(network):
    client = Client()
    addresses = cacheable_addresses(network)
    assert len(addresses) >= len(cacheable_routes())  # every route found its arguments

    differing = []
    for address in addresses:
        clean = body(client, address)
        assert clean[0] == 200, address
        for extra in EXTRA:
            separator = "&" if "?" in address else "?"
            if body(client, f"{address}{separator}{extra}") != clean:
                differing.append(f"{address}{separator}{extra}")

    assert differing == []


def test_a_stored_page_read_with_a_marker_then_without_carries_no_marker(client, network):
    address = f"/archive/{network['entry'].date:%Y/%m}/"

    first = client.get(f"{address}?utm_source={MARKER}")
    second = client.get(address)

    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("MISS", "HIT")
    assert MARKER not in second.content.decode()


def test_page_numbers_count_only_as_the_site_writes_them():
    assert pagecache.page_key("/tags/", "page=2", host="testserver") == pagecache.page_key(
        "/tags/", "page=2&x=1", host="testserver"
    )
    assert pagecache.page_key("/tags/", "page=02", host="testserver") is None
    assert (
        pagecache.page_key("/tags/", "page=%EF%BC%92", host="testserver") is None
    )  # a full-width 2
    assert pagecache.page_key("/tags/", "page=2", host="testserver") != pagecache.page_key(
        "/tags/", "", host="testserver"
    )
