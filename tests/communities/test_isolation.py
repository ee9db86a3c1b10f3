"""Nothing of community A reaches anyone outside A, wherever they look.

Community A gets a private blog entry, a thread with a reply and an attachment, an event and a
directory profile, each carrying a marker no other content has. Four identities (anonymous,
a member of B, staff without rights, and a member of A as the control) then walk every
address the application knows: every route of the URL patterns (drawn from the patterns
themselves, as `tests/test_urls.py` does, each placeholder filled with A's real slugs and ids),
every page of the page tree, the sitemap and its sections, the feeds, the search and its feed,
the media folder, and the media of A's private blog: the image in its entry (original and every
rendition the member's page shows) and its document, by their own and by public addresses. Outside A, no response may carry the marker and every address of A
answers 404 (never 403, never a sign-in redirect that says something is there).
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from dragoman.blogs.models import Blogger
from dragoman.communities import rights, services
from dragoman.communities.models import Attachment, Membership
from dragoman.demo.images import landscape_png
from tests.factories import BloggerFactory, EntryFactory
from tests.test_urls import public_routes

pytestmark = pytest.mark.django_db

MARKER = "Zyqxaleph"  # in everything of community A, and nowhere else
PNG = b"\x89PNG\r\n\x1a\n" + MARKER.encode() + b"\x00" * 32


@pytest.fixture
def secrets_of_a(two, settings) -> dict[str, Any]:
    settings.MEDIA_ROOT = settings.DRAGOMAN_COMMUNITY_FILES_ROOT.parent / "media"
    image = get_image_model().objects.create(
        title="Dinner photo",
        file=SimpleUploadedFile("dinner.png", landscape_png(seed=7)),
        collection=two.a.collection,
    )
    document = get_document_model().objects.create(
        title="Minutes",
        file=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 " + MARKER.encode()),
        collection=two.a.collection,
    )
    entry = EntryFactory(
        blog=two.a.blog,
        # Credited as a manager credits it (rights.py): that profile's pages are walked too.
        authors=[BloggerFactory(), Blogger.objects.get(slug=rights.COMMUNITY_AUTHOR_SLUG)],
        title=f"{MARKER} reunion dinner",
        summary=f"{MARKER} summary",
        tags=[MARKER.lower()],
        date=timezone.now() - timezone.timedelta(days=1),
        body=[
            ("paragraph", f'<p><a href="{document.url}">{MARKER} minutes</a></p>'),
            ("image", {"image": image, "alt_text": "The dinner", "caption": ""}),
        ],
    )
    membership = Membership.objects.get(user=two.member_a)
    services.profile_update(
        membership=membership,
        display_name=f"{MARKER} Member",
        in_directory=True,
        city=f"{MARKER} city",
        shown_fields=["city"],
    )
    topic = services.topic_create(
        membership=membership, title=f"{MARKER} thread", body=f"{MARKER} opening"
    )
    reply = services.reply_create(
        membership=Membership.objects.get(user=two.manager_a),
        topic=topic,
        body=f"{MARKER} answer",
        upload=SimpleUploadedFile("photo.png", PNG, content_type="image/png"),
    )
    event = services.event_create(
        community=two.a,
        acting_user=two.manager_a,
        title=f"{MARKER} picnic",
        starts_at=timezone.now() + timezone.timedelta(days=5),
        place="Park",
    )
    feed_token = services.feed_token_renew(membership=membership)
    date = timezone.localtime(entry.date)
    return {
        "entry": entry,
        "topic": topic,
        "reply": reply,
        "event": event,
        "attachment": Attachment.objects.get(),
        "image": image,
        "document": document,
        "feed_token": feed_token,
        # Candidate values for every kind of placeholder a route may have.
        "values": {
            "slug": ["alumni-a", two.a.blog.slug, entry.slug, rights.COMMUNITY_AUTHOR_SLUG],
            "blog": [two.a.blog.slug],
            "tag": [MARKER.lower()],
            "year": [f"{date:%Y}"],
            "month": [f"{date:%m}"],
            "section": ["entries", "pages", "blogs"],
            "token": ["forged-token-" + "x" * 20],
            "path": [entry.url.strip("/") + "/"],
        },
        "ids": [
            entry.pk,
            topic.pk,
            reply.pk,
            event.pk,
            Attachment.objects.get().pk,
            two.a.blog.pk,
            image.pk,
            document.pk,
        ],
    }


def route_addresses(values: dict[str, list[str]], ids: list[int]) -> list[str]:
    """Every route of the URL patterns with its placeholders filled by A's values."""
    addresses: set[str] = set()
    for route in public_routes():
        slots = []
        for piece in route.pieces:
            if isinstance(piece, str):
                slots.append([piece])
                continue
            _kind, regex, name = piece
            candidates = values.get(name) or [str(i) for i in ids]
            fitting = [c for c in candidates if re.fullmatch(regex, c)]
            slots.append(fitting or [""])
        for combination in itertools.islice(itertools.product(*slots), 40):
            address = "/" + "".join(combination).lstrip("/")
            addresses.add(address)
    return sorted(addresses)


def identities(two: Any) -> dict[str, Client]:
    clients = {"anonymous": Client()}
    for name, user in (
        ("member of B", two.member_b),
        ("staff without rights", two.staff),
        ("member of A", two.member_a),
    ):
        client = Client()
        client.force_login(user)
        clients[name] = client
    return clients


def body_of(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def media_addresses(two: Any, secrets: dict[str, Any]) -> list[str]:
    """The addresses of A's image and document: those the member's page of the entry shows
    (every rendition of its picture), the originals', and where the public media would be."""
    member = Client()
    member.force_login(two.member_a)
    page = member.get(secrets["entry"].url).content.decode()
    shown = set(re.findall(r' (?:src|href)="([^"]+)"', page))
    for srcset in re.findall(r' srcset="([^"]+)"', page):
        shown |= {candidate.split()[0] for candidate in srcset.split(",")}
    image, document = secrets["image"], secrets["document"]
    files = [image.file.name, document.file.name]
    files += [r.file.name for r in image.renditions.all()]
    addresses = {a for a in shown if "/members/media/" in a or "/documents/" in a}
    addresses |= {image.file.url, document.url, document.file.url}
    for name in files:
        # Where the public media would serve them, with and without the private marker.
        addresses.add(settings.MEDIA_URL + name)
        addresses.add(settings.MEDIA_URL + name.replace("members-only-", ""))
    return sorted(addresses)


def test_nothing_of_a_reaches_anyone_outside_a(two, secrets_of_a, settings):
    settings.DRAGOMAN_PAGE_CACHE = False  # the cache has its own test: here, what is rendered
    attachment = secrets_of_a["attachment"]
    media = media_addresses(two, secrets_of_a)
    members_prefix = "/members/alumni-a/"
    addresses = [
        *route_addresses(secrets_of_a["values"], secrets_of_a["ids"]),
        *(page.url for page in Page.objects.all().specific() if page.url),
        secrets_of_a["entry"].url,
        two.a.blog.url,
        "/sitemap.xml",
        "/sitemap-entries.xml",
        "/sitemap-pages.xml",
        "/feed/rss/",
        "/feed/atom/",
        # Words of A's entry, not the marker: a search page repeats what was asked.
        "/search/?q=reunion+dinner",
        "/search/feed/?q=reunion+dinner",
        "/tags/",
        "/archive/",
        "/communities/",
        "/conversations/feed/atom/",
        f"/media/{attachment.file.name}",
        *media,
    ]
    assert len(addresses) > 100, "the walk found too few addresses to mean anything"

    leaks: dict[str, list[str]] = {}
    seen_by_a: list[str] = []
    served_to_a: list[str] = []
    for name, client in identities(two).items():
        for address in addresses:
            if address.endswith("/logout/"):
                continue
            response = client.get(address)
            assert response.status_code < 500, (name, address)
            text = body_of(response)
            if name == "member of A":
                if MARKER in text:
                    seen_by_a.append(address)
                if address in media and response.status_code == 200:
                    served_to_a.append(address)
                continue
            if MARKER in text:
                leaks.setdefault(name, []).append(address)
            # A's own pages: not found, never forbidden nor "please sign in".
            private_address = address.startswith(members_prefix) or address in media
            if private_address and response.status_code != 404:
                leaks.setdefault(name, []).append(f"{address} → {response.status_code}")
    assert leaks == {}
    # The control: the same walk shows A's things to A's member.
    assert any(a.startswith(members_prefix + "threads/") for a in seen_by_a)
    assert secrets_of_a["entry"].url in seen_by_a
    assert members_prefix + "directory/" in seen_by_a
    # A's member gets the picture in every size the page shows, and the document.
    renditions = [a for a in media if "/members/media/images/" in a]
    assert len(renditions) >= 3
    assert set(renditions) <= set(served_to_a)
    assert secrets_of_a["document"].url in served_to_a


def test_the_private_feed_needs_its_token_and_stops_when_revoked(two, secrets_of_a):
    client = Client()
    good = f"/members/alumni-a/feed/{secrets_of_a['feed_token']}/"
    response = client.get(good)
    assert response.status_code == 200 and MARKER in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    # The token belongs to A: it opens nothing of B.
    assert client.get(f"/members/alumni-b/feed/{secrets_of_a['feed_token']}/").status_code == 404
    services.feed_token_revoke(membership=Membership.objects.get(user=two.member_a))
    assert client.get(good).status_code == 404


def test_attachments_are_kept_outside_the_public_media_folder(two, secrets_of_a):
    path = secrets_of_a["attachment"].file.path
    assert not path.startswith(str(settings.MEDIA_ROOT))
    assert path.startswith(str(settings.DRAGOMAN_COMMUNITY_FILES_ROOT))


def test_media_of_a_community_are_kept_outside_the_public_media_folder(two, secrets_of_a):
    image, document = secrets_of_a["image"], secrets_of_a["document"]
    image.get_rendition("width-360")
    paths = [image.file.path, document.file.path, *(r.file.path for r in image.renditions.all())]

    assert all(not p.startswith(str(settings.MEDIA_ROOT)) for p in paths)
    assert all(p.startswith(str(settings.DRAGOMAN_COMMUNITY_FILES_ROOT)) for p in paths)
    assert not any(settings.MEDIA_ROOT.rglob("*.png")) if settings.MEDIA_ROOT.exists() else True
