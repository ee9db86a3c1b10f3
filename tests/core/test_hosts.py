"""Readers who come by a mirror or the onion service stay there (docs/reach.md).

Every public page of the demo network, its feeds, sitemap and text-only versions are fetched
under the main host, a mirror and the onion service: under a mirror, no address names another
of the site's hosts except those that name the page itself (canonical link, og:url,
structured data, a feed item's permanent id) and the share links; under the onion service,
none at all, so nothing leads back to the clear web.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.test import Client, override_settings

from dragoman.publishing import pagecache
from tests.core.demo_pages import demo_pages_build
from tests.factories import EntryFactory

MAIN = "127.0.0.1:8000"  # the tests' DRAGOMAN_BASE_URL
MIRROR = "mirror.example"
ONION = f"{'x' * 56}.onion"
HOSTS = {"main": MAIN, "mirror": MIRROR, "onion": ONION}

REACH = {
    "DRAGOMAN_MIRROR_HOSTS": [MIRROR],
    "DRAGOMAN_ONION_ADDRESS": ONION,
    "ALLOWED_HOSTS": ["testserver", "127.0.0.1", "localhost", MIRROR, ONION],
    "DRAGOMAN_BASE_URL": f"http://{MAIN}",
    "BASE_URL": f"http://{MAIN}",
}
ADDRESS = re.compile(r"https?://([A-Za-z0-9.\-\[\]:]+)")
# What names the page itself, where a mirror may name the main host.
SELF_NAMING = [
    re.compile(r'<link\s+rel="canonical"[^>]*>'),
    re.compile(r'<meta property="og:url"[^>]*>'),
    re.compile(r'<script type="application/ld\+json">.*?</script>', re.S),
    re.compile(r"<guid[^>]*>.*?</guid>"),
    re.compile(r"<id>.*?</id>"),
]


def site_hosts(text: str) -> set[str]:
    """The site's own host names (main, mirror, onion) that absolute addresses name."""
    found = {match.group(1).lower() for match in ADDRESS.finditer(text)}
    return found & {MAIN, MIRROR, ONION}


def pages_to_walk() -> dict[str, str]:
    paths = demo_pages_build()
    paths |= {"mirrors": "/mirrors/"}
    paths |= {f"text-only {name}": "/text" + path for name, path in list(paths.items())}
    paths |= {
        "network rss": "/feed/rss/",
        "network atom": "/feed/atom/",
        "sitemap": "/sitemap.xml",
        "robots": "/robots.txt",
        "mirrors feed": "/mirrors/feed/",
    }
    return paths


@pytest.fixture(scope="module")
def walked(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[tuple[str, str], Any]]:
    """Each page (by name) fetched under each host (by kind): (status, body, headers)."""
    with (
        django_db_blocker.unblock(),
        override_settings(DRAGOMAN_PAGE_CACHE=False, DRAGOMAN_FRAGMENT_CACHE=False, **REACH),
    ):
        with transaction.atomic():
            paths = pages_to_walk()
            client = Client()
            found = {}
            for name, path in paths.items():
                for kind, host in HOSTS.items():
                    response = client.get(path, HTTP_HOST=host)
                    found[(name, kind)] = (
                        response.status_code,
                        response.content.decode(),
                        dict(response.headers),
                    )
            transaction.set_rollback(True)
        for cache in caches.all():
            cache.clear()
    yield found


@pytest.mark.django_db
def test_every_public_page_answers_under_each_host(walked):
    failing = {key: status for key, (status, _body, _headers) in walked.items() if status != 200}

    assert not failing


@pytest.mark.django_db
def test_under_a_mirror_no_page_links_to_another_host_but_to_name_itself(walked):
    leaks = {}
    for (name, kind), (_status, body, _headers) in walked.items():
        if kind != "mirror" or "mirrors" in name:  # the mirror list names them on purpose
            continue
        for pattern in SELF_NAMING:
            body = pattern.sub("", body)
        if site_hosts(body) - {MIRROR}:
            leaks[name] = site_hosts(body)

    assert not leaks


@pytest.mark.django_db
def test_under_the_onion_service_no_page_names_another_host(walked):
    leaks = {
        name: site_hosts(body) - {ONION}
        for (name, kind), (_status, body, _headers) in walked.items()
        if kind == "onion" and site_hosts(body) - {ONION}
    }

    assert not leaks


@pytest.mark.django_db
def test_pages_on_a_mirror_name_the_main_host_as_canonical(walked):
    _status, body, _headers = walked[("entry", "mirror")]

    canonical = re.search(r'<link\s+rel="canonical"\s+href="([^"]+)"', body)

    assert canonical is not None
    assert canonical.group(1).startswith(f"http://{MAIN}/blogs/")


@pytest.mark.django_db
def test_pages_on_the_onion_service_name_the_onion_address_as_canonical(walked):
    _status, body, _headers = walked[("entry", "onion")]

    canonical = re.search(r'<link\s+rel="canonical"\s+href="([^"]+)"', body)

    assert canonical is not None
    assert canonical.group(1).startswith(f"http://{ONION}/blogs/")


@pytest.mark.django_db
def test_clear_web_pages_point_tor_browser_to_the_same_page_on_the_onion_service(walked):
    path = walked[("entry", "main")]
    _status, _body, main_headers = path
    _status, _body, mirror_headers = walked[("entry", "mirror")]
    _status, _body, onion_headers = walked[("entry", "onion")]

    assert main_headers["Onion-Location"].startswith(f"http://{ONION}/blogs/")
    assert mirror_headers["Onion-Location"] == main_headers["Onion-Location"]
    assert "Onion-Location" not in onion_headers


@pytest.mark.django_db
def test_the_mirror_list_names_every_address(walked):
    _status, body, _headers = walked[("mirrors", "main")]

    assert f"https://{MIRROR}/" in body or f"http://{MIRROR}/" in body
    assert f"http://{ONION}/" in body


@pytest.mark.django_db
def test_the_onion_service_is_never_redirected_to_https_nor_given_hsts(client):
    entry = EntryFactory()
    secure = {"SECURE_SSL_REDIRECT": True, "SECURE_HSTS_SECONDS": 3600}
    middleware = [
        "dragoman.core.hosts.SecurityMiddleware"
        if name == "django.middleware.security.SecurityMiddleware"
        else name
        for name in settings.MIDDLEWARE
    ]

    with override_settings(**REACH, **secure, MIDDLEWARE=middleware):
        onion = client.get(entry.url, HTTP_HOST=ONION)
        clear = client.get(entry.url, HTTP_HOST=MIRROR)

    assert onion.status_code == 200
    assert "Strict-Transport-Security" not in onion.headers
    assert clear.status_code == 301
    assert clear.headers["Location"].startswith(f"https://{MIRROR}/")


@pytest.mark.django_db
def test_the_page_cache_keeps_each_host_apart(client):
    entry = EntryFactory()

    with override_settings(**REACH):
        first = client.get(entry.url, HTTP_HOST=MIRROR)
        again = client.get(entry.url, HTTP_HOST=MIRROR)
        onion = client.get(entry.url, HTTP_HOST=ONION)
        main = client.get(entry.url, HTTP_HOST=MAIN)

    assert (first.headers["X-Cache"], again.headers["X-Cache"]) == ("MISS", "HIT")
    assert onion.headers["X-Cache"] == "MISS"
    assert MIRROR not in onion.content.decode()
    assert MIRROR not in main.content.decode()
    assert ONION not in main.content.decode().replace(main.headers["Onion-Location"], "")


def test_each_host_has_its_own_page_cache_key():
    keys = {pagecache.page_key("/blogs/", "page=2", host=host) for host in HOSTS.values()}

    assert len(keys) == len(HOSTS)
    assert pagecache.page_key("/blogs/", "", host="Mirror.Example") == pagecache.page_key(
        "/blogs/", "", host=MIRROR
    )
