"""Every public address answers hostile input with a 4xx, never a 5xx.

The addresses are drawn from the URL patterns themselves (so a new route is covered the day it
is added), each placeholder filled from hostile strategies: numbers past 64 bits and below
zero, far dates, unicode, control characters, very long values; with every query parameter a
public page reads, repeated and garbled, and under each language prefix. A 500 anywhere fails
with the request that caused it, shrunk by hypothesis to its simplest form.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.http import QueryDict
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from dragoman.channels.forms import FILTER_LABELS
from dragoman.search.forms import SearchForm
from tests.factories import ChannelFactory, EntryFactory

# Not public: the admin has its own permission tests; media is a file server (tested apart).
PRIVATE_PREFIXES = ("admin/", "django-admin/", "^media/")

# Every query parameter a public page reads (forms and views), and two any page may get.
PARAMETERS = sorted(
    {*SearchForm.base_fields, *FILTER_LABELS, "page", "format", "q", "utm_source", "website"}
)
COMMENT_FIELDS = ["name", "email", "body", "website", "stamp", "notify"]

PLACEHOLDER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
GROUP = re.compile(r"\((?:\?P<(?P<name>\w+)>)?(?P<body>(?:[^()]|\([^()]*\))*)\)")

huge_numbers = st.sampled_from(
    [2**31, 2**32, 2**53 + 1, 2**63 - 1, 2**63, 2**64, 10**30, 10**100]
).map(str)
numbers = st.one_of(
    huge_numbers,
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["0", "-1", "00", "1e9", "1.5", "0x10", "٣", "¹", "NaN", "inf"]),
)
far_dates = st.one_of(
    st.dates().map(lambda day: day.isoformat()),
    st.sampled_from(
        ["9999-12-31", "0001-01-01", "0000-00-00", "10000-01-01", "2025-02-30", "-1-01-01"]
    ),
)
control = st.text(st.characters(max_codepoint=0x1F), min_size=1, max_size=8)
unicode_text = st.text(max_size=40)
long_values = st.integers(min_value=300, max_value=20_000).flatmap(
    lambda n: st.sampled_from(["x" * n, "9" * n, "é" * n, "%" * n])
)
hostile = st.one_of(numbers, far_dates, control, unicode_text, long_values, st.just(""))


@dataclass(frozen=True)
class Route:
    name: str
    pieces: tuple[Any, ...]  # text, or ("value", the placeholder's regex, its name)

    def __str__(self) -> str:
        return self.name


def route_pieces(pattern: Any) -> list[Any]:
    """A pattern's literal text and its placeholders, in order."""
    if isinstance(pattern, LocalePrefixPattern):
        return []  # the language prefix is drawn on its own
    if isinstance(pattern, RoutePattern):
        route = str(pattern)
        pieces: list[Any] = []
        position = 0
        for match in PLACEHOLDER.finditer(route):
            pieces.append(route[position : match.start()])
            converter = pattern.converters[match["name"]]
            pieces.append(("value", converter.regex, match["name"]))
            position = match.end()
        pieces.append(route[position:])
        return pieces
    assert isinstance(pattern, RegexPattern)
    regex = str(pattern).lstrip("^").rstrip("$")
    pieces = []
    position = 0
    for match in GROUP.finditer(regex):
        pieces.append(regex[position : match.start()].replace("\\", ""))
        pieces.append(("value", match["body"], match["name"] or ""))
        position = match.end()
    pieces.append(regex[position:].replace("\\", ""))
    return pieces


def public_routes() -> list[Route]:
    def walk(patterns: list[Any], prefix: tuple[Any, ...]) -> Iterator[Route]:
        for pattern in patterns:
            chain = (*prefix, pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, chain)
                continue
            assert isinstance(pattern, URLPattern)
            text = "".join(str(p) for p in chain)
            if text.startswith(PRIVATE_PREFIXES):
                continue
            pieces = tuple(piece for p in chain for piece in route_pieces(p))
            yield Route(pattern.name or text, pieces)

    return list(walk(get_resolver().url_patterns, ()))


ROUTES = public_routes()


def value_for(regex: str | None, known: list[str]) -> st.SearchStrategy[str]:
    """A value for one placeholder: one the site knows, one its pattern allows, or hostile."""
    allowed = st.from_regex(f"^(?:{regex})$", fullmatch=True) if regex else st.nothing()
    return st.one_of(st.sampled_from(known), allowed.filter(lambda v: len(v) < 400), hostile)


@st.composite
def requests(draw: Any, route: Route, known: list[str]) -> tuple[str, str, dict[str, Any]]:
    path = ""
    for piece in route.pieces:
        if isinstance(piece, str):
            path += piece
        else:
            path += quote(draw(value_for(piece[1], known)), safe="/")
    languages = ["", *(f"{code}/" for code, _name in settings.LANGUAGES)]
    path = "/" + draw(st.sampled_from(languages)) + path
    names = st.one_of(st.sampled_from(PARAMETERS), unicode_text)
    query = draw(st.lists(st.tuples(names, hostile), max_size=6))
    # Sometimes the same parameter twice, as a form could never send.
    if query and draw(st.booleans()):
        query.append((query[0][0], draw(hostile)))
    query_string = urlencode(query)
    if draw(st.booleans()):
        query_string += draw(st.sampled_from(["&%ff%fe=%00", "&page", "&=&&", "&q=%e2%28"]))
    method = draw(st.sampled_from(["GET", "GET", "GET", "HEAD", "OPTIONS", "POST"]))
    extra: dict[str, Any] = {}
    if method == "POST":
        fields = st.sampled_from(COMMENT_FIELDS + PARAMETERS)
        extra["data"] = dict(draw(st.lists(st.tuples(fields, hostile), max_size=6)))
        if draw(st.booleans()):
            extra["headers"] = {"origin": "http://testserver"}
    full = f"{path}?{query_string}" if query_string else path
    return method, full, extra


@pytest.fixture
def known_values(db: Any) -> list[str]:
    """Real slugs, keys and codes, so that drawn addresses reach past the 404s too."""
    entry = EntryFactory(tags=["water"], language="fr")
    channel = ChannelFactory(mission=entry.blog.mission)
    blogger = entry.blog.bloggers.get()
    return [
        str(entry.pk),
        entry.blog.slug,
        blogger.slug,
        entry.blog.mission.slug,
        "water",
        "fr",
        "2025",
        "01",
        f"{entry.date:%Y}",
        f"{entry.date:%m}",
        channel.handle,
        "blogs/",
        f"blogs/{entry.blog.slug}/",
        f"blogs/{entry.blog.slug}/{entry.slug}/",
    ]


@pytest.mark.parametrize("route", ROUTES, ids=str)
@override_settings(DRAGOMAN_PAGE_CACHE=False, DEBUG_PROPAGATE_EXCEPTIONS=False)
def test_every_public_address_answers_hostile_input_without_a_server_error(
    route: Route, known_values: list[str]
):
    client = Client(raise_request_exception=False)

    @hypothesis_settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(request=requests(route, known_values))
    def answers_below_500(request: tuple[str, str, dict[str, Any]]) -> None:
        method, address, extra = request
        response = client.generic(method, address, **_encoded(method, extra))
        assert response.status_code < 500, f"{method} {address} {extra} -> {response.status_code}"

    answers_below_500()


def _encoded(method: str, extra: dict[str, Any]) -> dict[str, Any]:
    if method != "POST":
        return {"headers": extra.get("headers")}
    return {
        "data": urlencode(extra.get("data", {})),
        "content_type": "application/x-www-form-urlencoded",
        "headers": extra.get("headers"),
    }


def test_the_routes_drawn_from_include_the_ones_that_failed_before():
    names = {route.name for route in ROUTES}

    assert {"entry_permalink", "search", "feed", "comment_create", "entry_atom"} <= names
    assert {"wagtail_serve", "wagtaildocs_serve", "wagtailcore_authenticate_with_password"} <= names


@pytest.mark.django_db
@override_settings(DRAGOMAN_PAGE_CACHE=False)
@pytest.mark.parametrize(
    "address",
    [
        "/search/?date_to=9999-12-31",
        "/search/?date_from=0001-01-01",
        "/search/feed/?date_to=9999-12-31",
        "/ar/search/?date_to=9999-12-31",
        "/fa/search/feed/?date_from=9999-12-31",
        "/entries/9223372036854775808/",
        "/entries/99999999999999999999999/",
        "/conversations/entries/9223372036854775808/feed/atom/",
        "/documents/9223372036854775808/file.pdf",
        "/_util/authenticate_with_password/9223372036854775808/1/",
    ],
)
def test_the_addresses_the_probe_found_answer_4xx(address: str):
    client = Client(raise_request_exception=False)

    response = client.get(address)

    assert 400 <= response.status_code < 500


@pytest.mark.django_db
def test_a_comment_posted_to_an_entry_past_64_bits_is_a_404():
    client = Client(raise_request_exception=False)

    response = client.post(
        "/conversations/entries/9223372036854775808/comment/",
        {"name": "A", "body": "Hello"},
        headers={"origin": "http://testserver"},
    )

    assert response.status_code == 404


# Other classes of hostile input, beyond values in addresses --------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address",
    [
        "/media/../dragoman/settings.py",
        "/media/%2e%2e/%2e%2e/etc/passwd",
        "/media/..%2f..%2fetc%2fpasswd",
        "/media//etc/passwd",
        "/media/%00",
    ],
)
def test_media_never_serves_a_file_outside_its_folder(address: str):
    response = Client(raise_request_exception=False).get(address)

    assert response.status_code in (301, 302, 400, 404)
    assert b"root:" not in b"".join(getattr(response, "streaming_content", [response.content]))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address",
    [
        "/_util/login/?next=https://evil.example/",
        "/_util/login/?next=//evil.example/",
        "/admin/login/?next=https://evil.example/",
        "/admin/login/?next=/\\evil.example/",
    ],
)
def test_signing_in_never_sends_a_person_to_another_site(address: str, django_user_model: Any):
    django_user_model.objects.create_superuser("editor", "editor@example.org", "a-pass-2026")
    client = Client(raise_request_exception=False)

    response = client.post(address, {"username": "editor", "password": "a-pass-2026"})

    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


@pytest.mark.django_db
def test_an_oversized_comment_body_is_a_4xx():
    entry = EntryFactory()
    client = Client(raise_request_exception=False)

    response = client.post(
        f"/conversations/entries/{entry.pk}/comment/",
        {"name": "A", "body": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)},
        headers={"origin": "http://testserver"},
    )

    assert 400 <= response.status_code < 500


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["a\r\nSet-Cookie: x=1", "a\nLocation: https://evil.example/"])
def test_line_breaks_in_parameters_never_become_headers(value: str):
    entry = EntryFactory()
    client = Client(raise_request_exception=False)

    for address in (f"/entries/{entry.pk}/", "/search/", "/channels/check/", "/_util/login/"):
        response = client.get(address, {"q": value, "next": value, "page": value})
        assert response.status_code < 500, address
        assert "Set-Cookie: x=1" not in str(response.headers)
        assert "evil.example" not in response.get("Location", "")


# Every extreme value in every place, deterministically ---------------------------------------

EXTREMES = [
    str(2**63),
    str(2**64),
    "-1",
    "0",
    "9999-12-31",
    "0001-01-01",
    "x" * 5000,
    "\x00\x1b\x7f",
    "é‮٣",
]


def known_address(route: Route, known: dict[str, str], *, fill: str | None = None) -> str:
    """The route's address with real values (or `fill` in every placeholder)."""
    path = "/"
    for piece in route.pieces:
        if isinstance(piece, str):
            path += piece
            continue
        _value, _regex, name = piece
        if fill is not None:
            path += quote(fill, safe="")
        elif route.name.startswith("missions") or route.name == "detail":
            path += known.get(f"mission:{name}", known.get(name, ""))
        else:
            path += known.get(f"{route.name}:{name}", known.get(name, ""))
    return path


def parameters_read(client: Client, address: str) -> set[str]:
    """The query parameters the page at `address` looks at, seen from Django's QueryDict."""
    seen: set[str] = set()
    names = ("get", "__getitem__", "getlist")
    originals = {name: getattr(QueryDict, name) for name in names}
    own = {name: QueryDict.__dict__.get(name) for name in names}

    def spy(name: str) -> Any:
        def read(self: QueryDict, key: str, *args: Any, **kwargs: Any) -> Any:
            seen.add(key)
            return originals[name](self, key, *args, **kwargs)

        return read

    for name in originals:
        setattr(QueryDict, name, spy(name))
    try:
        client.get(address)
    finally:
        for name in names:
            if own[name] is None:
                delattr(QueryDict, name)  # inherited: back to the parent's
            else:
                setattr(QueryDict, name, own[name])
    return seen & set(PARAMETERS)


@pytest.fixture
def known_by_name(db: Any) -> dict[str, str]:
    entry = EntryFactory(tags=["water"], language="fr")
    blog = entry.blog
    return {
        "pk": str(entry.pk),
        "entry_id": str(entry.pk),
        "blog": blog.slug,
        "slug": blog.bloggers.get().slug,
        "mission:slug": blog.mission.slug,
        "tag": "water",
        "language": "fr",
        "year": f"{entry.date:%Y}",
        "month": f"{entry.date:%m}",
        "section": "pages",
        "token": "nothing",
        "": f"blogs/{blog.slug}/",
    }


@pytest.mark.parametrize("route", ROUTES, ids=str)
@override_settings(DRAGOMAN_PAGE_CACHE=False)
def test_every_extreme_value_in_every_place_of_every_public_address_is_a_4xx_at_worst(
    route: Route, known_by_name: dict[str, str]
):
    client = Client(raise_request_exception=False)
    address = known_address(route, known_by_name)
    parameters = sorted(parameters_read(client, address))
    tried = []
    for value in EXTREMES:
        if any(not isinstance(piece, str) for piece in route.pieces):
            tried.append(known_address(route, known_by_name, fill=value))
        tried.extend(f"{address}?{urlencode({parameter: value})}" for parameter in parameters)

    failing = [
        f"{method} {attempt}"
        for attempt in tried
        for method in ("GET", "HEAD")
        if client.generic(method, attempt).status_code >= 500
    ]

    assert failing == []
