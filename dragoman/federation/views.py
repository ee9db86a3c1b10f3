"""The federation's addresses: WebFinger, NodeInfo, actors, their collections, the inboxes.

The documents are public and carry no cookie; the page cache never stores them (it stores
only pages whose dependencies it knows), and the blogs' own addresses answer their
ActivityPub form through ``negotiation.py``.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from dragoman.blogs.models import Blogger, BlogPage, EntryPage

from . import activities, inbox, instance, moderation, publication, queries, services
from .models import LocalActor
from .remote import domain_of
from .signatures import Message, SignatureRefused, verify

AP_CONTENT_TYPE = "application/activity+json"
OUTBOX_PAGE_SIZE = 20


def ap_response(document: dict[str, Any], status: int = 200) -> HttpResponse:
    response = HttpResponse(json.dumps(document), content_type=AP_CONTENT_TYPE, status=status)
    # The same address answers HTML to browsers: shared caches must keep both apart.
    response.headers["Vary"] = "Accept"
    return response


def fetch_refused(request: HttpRequest) -> HttpResponse | None:
    """In authorized-fetch mode (``DRAGOMAN_FEDERATION_AUTHORIZED_FETCH``, Mastodon's "secure
    mode"), the ActivityPub documents are served only to a request signed by a server that is
    not blocked: a 401 (or 403) says why; None lets the request through."""
    if not settings.DRAGOMAN_FEDERATION_AUTHORIZED_FETCH:
        return None
    try:
        key_id = verify(_message(request), key_of=inbox.key_lookup, once=False)
    except SignatureRefused as error:
        return JsonResponse({"error": f"Sign this request: {error}"}, status=401)
    if moderation.domain_blocked(domain_of(key_id)):
        return JsonResponse({"error": "This server does not answer yours."}, status=403)
    return None


def _public_actor(username: str) -> LocalActor:
    actor = services.actor_by_username(username)
    if actor is None or not services.actor_is_public(actor):
        raise Http404("No such actor.")
    return actor


@require_GET
def webfinger(request: HttpRequest) -> HttpResponse:
    resource = request.GET.get("resource", "")
    if not resource:
        return JsonResponse({"error": "Give a resource, such as acct:blog@host."}, status=400)
    username = ""
    if resource.startswith("acct:"):
        name, _, domain = resource.removeprefix("acct:").lstrip("@").partition("@")
        if domain.lower() != activities.host().lower():
            raise Http404("Not an account on this server.")
        username = name
    elif resource.startswith(activities.absolute("/federation/actors/")):
        username = resource.rstrip("/").rsplit("/", 1)[-1]
    actor = _public_actor(username) if username else None
    if actor is None:
        raise Http404("No such account.")
    document = activities.actor_document(actor)
    response = JsonResponse(
        {
            "subject": f"acct:{actor.username}@{activities.host()}",
            "aliases": [document["id"], document["url"]],
            "links": [
                {"rel": "self", "type": AP_CONTENT_TYPE, "href": document["id"]},
                {
                    "rel": "http://webfinger.net/rel/profile-page",
                    "type": "text/html",
                    "href": document["url"],
                },
            ],
        },
        content_type="application/jrd+json",
    )
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def nodeinfo_links(request: HttpRequest) -> HttpResponse:
    href = activities.absolute(reverse("federation:nodeinfo"))
    return JsonResponse(
        {"links": [{"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": href}]}
    )


@require_GET
def nodeinfo(request: HttpRequest) -> HttpResponse:
    from importlib.metadata import PackageNotFoundError, version

    try:
        software_version = version("dragoman")
    except PackageNotFoundError:
        software_version = "0"
    return JsonResponse(
        {
            "version": "2.1",
            "software": {
                "name": "dragoman",
                "version": software_version,
                "repository": "https://github.com/dragoman/dragoman",
            },
            "protocols": ["activitypub"],
            "services": {"inbound": [], "outbound": ["atom1.0", "rss2.0"]},
            "openRegistrations": False,
            "usage": {
                "users": {"total": Blogger.objects.count()},
                "localPosts": EntryPage.objects.visible(None).count(),
            },
            "metadata": {"nodeName": settings.SITE_NAME},
        },
        content_type='application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"',
    )


@require_GET
def instance_actor(request: HttpRequest) -> HttpResponse:
    # Served to anyone, signed or not: it is how other servers check our signed fetches.
    return ap_response(activities.actor_document(instance.instance_actor()))


@require_GET
def actor(request: HttpRequest, username: str) -> HttpResponse:
    if refused := fetch_refused(request):
        return refused
    return ap_response(activities.actor_document(_public_actor(username)))


@require_GET
def outbox(request: HttpRequest, username: str) -> HttpResponse:
    if refused := fetch_refused(request):
        return refused
    local = _public_actor(username)
    entries = queries.outbox_entries(local)
    base = activities.actor_id(local) + "/outbox"
    page_number = request.GET.get("page")
    if not page_number:
        return ap_response(
            {
                "@context": activities.CONTEXT[0],
                "id": base,
                "type": "OrderedCollection",
                "totalItems": entries.count(),
                "first": base + "?page=1",
            }
        )
    if not page_number.isdecimal():
        return JsonResponse({"error": "page must be a number"}, status=400)
    page = Paginator(entries, OUTBOX_PAGE_SIZE).get_page(int(page_number))
    document: dict[str, Any] = {
        "@context": activities.CONTEXT[0],
        "id": f"{base}?page={page.number}",
        "type": "OrderedCollectionPage",
        "partOf": base,
        "orderedItems": [publication.create_of(entry, local) for entry in page],
    }
    if page.has_next():
        document["next"] = f"{base}?page={page.next_page_number()}"
    return ap_response(document)


@require_GET
def followers(request: HttpRequest, username: str) -> HttpResponse:
    # Only the number: who follows an embassy is nobody else's business.
    if refused := fetch_refused(request):
        return refused
    local = _public_actor(username)
    return ap_response(
        {
            "@context": activities.CONTEXT[0],
            "id": activities.actor_id(local) + "/followers",
            "type": "OrderedCollection",
            "totalItems": queries.follower_count(local),
        }
    )


@require_GET
def following(request: HttpRequest, username: str) -> HttpResponse:
    if refused := fetch_refused(request):
        return refused
    local = _public_actor(username)
    return ap_response(
        {
            "@context": activities.CONTEXT[0],
            "id": activities.actor_id(local) + "/following",
            "type": "OrderedCollection",
            "totalItems": 0,
        }
    )


def _message(request: HttpRequest) -> Message:
    headers = {name: value for name, value in request.headers.items()}
    headers.setdefault("Host", request.get_host())
    return Message.of(request.method or "POST", request.build_absolute_uri(), headers, request.body)


@csrf_exempt
@require_POST
def actor_inbox(request: HttpRequest, username: str) -> HttpResponse:
    local = LocalActor.objects.filter(username=username).first()
    if local is None:
        raise Http404("No such actor.")
    return _inbox(request, local)


@csrf_exempt
@require_POST
def shared_inbox(request: HttpRequest) -> HttpResponse:
    return _inbox(request, None)


def _inbox(request: HttpRequest, local: LocalActor | None) -> HttpResponse:
    if len(request.body) > settings.DRAGOMAN_FEDERATION_MAX_BYTES:
        return JsonResponse({"error": "The activity is too large."}, status=413)
    try:
        inbox.receive(_message(request), local=local)
    except inbox.InboxError as error:
        return JsonResponse({"error": error.message}, status=error.status)
    return HttpResponse(status=202)


@require_GET
def activity(request: HttpRequest, key: str) -> HttpResponse:
    # Activity ids name our activities; they are not kept to be read again.
    raise Http404("Activities are not kept.")


def blog_document(blog: BlogPage) -> dict[str, Any]:
    return activities.actor_document(services.blog_actor(blog))


def blogger_document(slug: str) -> dict[str, Any]:
    return activities.actor_document(services.blogger_actor(get_object_or_404(Blogger, slug=slug)))


def entry_document(entry: EntryPage) -> dict[str, Any]:
    if not entry.is_visible_to(None):
        raise Http404("No such entry.")
    document = activities.article(entry, authors=[])
    document["@context"] = activities.CONTEXT
    return document
