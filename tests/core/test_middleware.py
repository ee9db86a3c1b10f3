"""Public pages set no cookie, whatever cookies the reader sends, and say how to cache them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from dragoman.core.middleware import csrf_cookie_is_malformed
from tests.factories import ChannelFactory, EntryFactory

pytestmark = pytest.mark.django_db

# What a browser may hold: cookies from an older site, a proxy, a hand, or an attacker.
COOKIES = {
    "malformed CSRF, short": {"csrftoken": "x"},
    "malformed CSRF, bad characters": {"csrftoken": "!" * 32},
    "malformed CSRF, one too long": {"csrftoken": "a" * 65},
    "malformed CSRF, unicode": {"csrftoken": "é" * 32},
    "empty CSRF": {"csrftoken": ""},
    "well-formed CSRF": {"csrftoken": "a" * 32},
    "unknown cookies": {"theme": "dark", "django_language": "ar"},
}


@pytest.fixture
def public_addresses() -> list[str]:
    """One address of each kind of public page: cached pages, feeds, forms, register."""
    entry = EntryFactory(tags=["water"])
    channel = ChannelFactory(mission=entry.blog.mission)
    blog = entry.blog
    addresses = [
        "/",
        "/blogs/",
        blog.url,
        entry.url,
        "/ar/",
        "/tags/",
        "/tags/water/",
        "/archive/",
        f"/archive/{entry.date:%Y/%m}/",
        "/bloggers/",
        f"/bloggers/{blog.bloggers.get().slug}/",
        f"/missions/{blog.mission.slug}/",
        "/feed/rss/",
        f"/blogs/{blog.slug}/feed/atom/",
        "/search/",
        "/search/?q=water",
        "/search/feed/?q=water",
        "/channels/",
        "/channels/?platform=x",
        "/channels/check/",
        f"/channels/check/?q=@{channel.handle}",
        "/channels/register.csv",
        "/channels/register.json",
        reverse("conversations:policy"),
        "/ar/conversations/policy/",
        "/conversations/feed/atom/",
        f"/conversations/entries/{entry.pk}/feed/atom/",
        "/robots.txt",
        "/sitemap.xml",
    ]
    return addresses


@pytest.mark.parametrize("cookies", COOKIES.values(), ids=COOKIES.keys())
def test_no_public_page_sets_a_cookie_whatever_the_reader_sends(public_addresses, cookies):
    client = Client()
    client.cookies.load(cookies)

    setting = {}
    for address in public_addresses:
        response = client.get(address)
        assert response.status_code == 200, address
        if response.cookies:
            setting[address] = response.headers.get("Set-Cookie")

    assert setting == {}


def test_every_public_page_says_how_it_may_be_cached(public_addresses):
    client = Client()

    missing = [
        address
        for address in public_addresses
        if "Cache-Control" not in client.get(address).headers
    ]

    assert missing == []


def test_the_register_and_the_checker_are_never_served_stale(db: Any):
    client = Client()

    for address in ("/channels/", "/channels/check/", "/channels/register.csv"):
        cache_control = client.get(address).headers["Cache-Control"]
        assert "no-cache" in cache_control, address
        assert "max-age=0" in cache_control, address


@pytest.mark.parametrize(
    ("value", "malformed"),
    [("a" * 32, False), ("A1" * 32, False), ("x", True), ("!" * 32, True), ("a" * 33, True)],
)
def test_malformed_csrf_cookies_are_those_django_would_replace(value: str, malformed: bool):
    assert csrf_cookie_is_malformed(value) is malformed


@pytest.mark.parametrize("address", ["/tags/%00/", "/tags/a%00b/feed/rss/", "/ar/tags/%00/"])
def test_a_nul_character_in_an_address_is_a_plain_400(client, db, address):
    response = client.get(address)

    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
