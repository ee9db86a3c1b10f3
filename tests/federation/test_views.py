"""The federation's addresses, through Django's test client: WebFinger, NodeInfo, actor
documents, content negotiation kept apart from the page cache, and the inbox's refusals."""

import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import PageViewRestriction

from dragoman.federation.models import DomainBlock, Follow, LocalActor, RemoteActor
from dragoman.federation.signatures import RFC9421
from tests.factories import BlogFactory, BloggerFactory, ChannelFactory, EntryFactory

from .helpers import REMOTE_ACTOR, remote_actor, signed_post

AP = "application/activity+json"


@pytest.fixture(autouse=True)
def _federation(settings):
    settings.BASE_URL = "http://testserver"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    cache.clear()


@pytest.fixture
def blog(db):
    return BlogFactory(slug="embassy-news", title="Embassy news")


def test_webfinger_finds_a_blog(client, blog):
    response = client.get("/.well-known/webfinger", {"resource": "acct:embassy-news@testserver"})

    assert response.status_code == 200
    links = {link["rel"]: link["href"] for link in response.json()["links"]}
    assert links["self"] == "http://testserver/federation/actors/embassy-news"


def test_webfinger_finds_a_blogger(client, db):
    blogger = BloggerFactory(slug="ana-ambassador")

    response = client.get("/.well-known/webfinger", {"resource": "acct:ana-ambassador@testserver"})

    assert response.status_code == 200
    assert response.json()["subject"] == "acct:ana-ambassador@testserver"
    links = {link["rel"]: link["href"] for link in response.json()["links"]}
    assert links["self"] == "http://testserver/federation/actors/ana-ambassador"
    assert links["http://webfinger.net/rel/profile-page"].endswith(f"/bloggers/{blogger.slug}/")
    person = client.get("/federation/actors/ana-ambassador").json()
    assert person["type"] == "Person"
    assert person["outbox"] == links["self"] + "/outbox"
    assert person["followers"] == links["self"] + "/followers"


def test_webfinger_refuses_other_hosts_and_nonsense(client, blog):
    assert client.get("/.well-known/webfinger").status_code == 400
    other = client.get("/.well-known/webfinger", {"resource": "acct:embassy-news@elsewhere"})
    assert other.status_code == 404
    unknown = client.get("/.well-known/webfinger", {"resource": "acct:nobody@testserver"})
    assert unknown.status_code == 404


def test_a_private_blog_is_no_actor(client, blog):
    PageViewRestriction.objects.create(page=blog, restriction_type="login")

    response = client.get("/.well-known/webfinger", {"resource": "acct:embassy-news@testserver"})

    assert response.status_code == 404


def test_the_actor_document_has_a_key_and_the_verified_channels(client, blog):
    channel = ChannelFactory(platform="mastodon", handle="@embassy@social.example")
    ChannelFactory(mission=channel.mission, platform="x", status="archived")
    ChannelFactory(
        mission=channel.mission, platform="youtube", handle="@embassyfake", status="impersonation"
    )
    blog.mission = channel.mission
    blog.save_revision().publish()

    document = client.get("/federation/actors/embassy-news").json()

    assert document["type"] == "Service"
    assert document["name"] == "Embassy news"
    assert "BEGIN PUBLIC KEY" in document["publicKey"]["publicKeyPem"]
    assert document["endpoints"]["sharedInbox"] == "http://testserver/federation/inbox"
    # Only the register's official channels: not the archived one, not the impersonation.
    [field] = document["attachment"]
    assert field["type"] == "PropertyValue"
    assert field["name"] == channel.platform_label
    assert f'<a href="{channel.url}" rel="me nofollow noopener"' in field["value"]
    assert "PropertyValue" in str(document["@context"])


def test_a_blogger_is_a_person_with_their_own_channels(client, db):
    blogger = BloggerFactory(slug="ana-ambassador", display_name="Ana")
    own = ChannelFactory(blogger=blogger, platform="mastodon", handle="@ana@social.example")
    ChannelFactory(blogger=blogger, platform="x", status="archived")

    response = client.get(f"/bloggers/{blogger.slug}/", headers={"Accept": AP})

    assert response.status_code == 200
    assert response.json()["type"] == "Person"
    assert response.json()["name"] == "Ana"
    [field] = response.json()["attachment"]
    assert field["type"] == "PropertyValue"
    assert f'href="{own.url}" rel="me' in field["value"]


def test_nodeinfo(client, db):
    href = client.get("/.well-known/nodeinfo").json()["links"][0]["href"]

    document = client.get(href.removeprefix("http://testserver")).json()

    assert document["version"] == "2.1"
    assert document["protocols"] == ["activitypub"]


def test_the_outbox_lists_only_what_anonymous_readers_see(client, blog):
    EntryFactory(blog=blog, title="Public")
    EntryFactory(blog=blog, title="Draft", live=False)
    EntryFactory(blog=blog, title="Scheduled", date=timezone.now() + timedelta(days=2))

    outbox = client.get("/federation/actors/embassy-news/outbox").json()
    page = client.get("/federation/actors/embassy-news/outbox?page=1").json()

    assert outbox["totalItems"] == 1
    assert [item["object"]["name"] for item in page["orderedItems"]] == ["Public"]


def test_the_same_address_answers_html_or_activity_json_and_the_cache_keeps_them_apart(
    client, blog, settings
):
    settings.DRAGOMAN_PAGE_CACHE = True
    entry = EntryFactory(blog=blog, title="Visa news")
    path = entry.url

    html = client.get(path)
    html_again = client.get(path)
    as_json = client.get(path, headers={"Accept": AP})
    html_after = client.get(path)

    assert html["Content-Type"].startswith("text/html")
    assert b'type="application/activity+json"' in html.content
    assert html_again["X-Cache"] == "HIT"
    assert as_json["Content-Type"] == AP
    assert as_json.json()["type"] == "Article"
    assert as_json.json()["name"] == "Visa news"
    assert "Accept" in as_json["Vary"]
    assert html_after["Content-Type"].startswith("text/html")
    assert "Accept" in html_after["Vary"]
    assert b'type="application/activity+json"' in client.get(blog.url).content
    blog_json = client.get(blog.url, headers={"Accept": AP})
    assert blog_json.json()["type"] == "Service"
    permalink = client.get(f"/entries/{entry.pk}/", headers={"Accept": AP})
    assert permalink.json()["id"] == f"http://testserver/entries/{entry.pk}/"


def _alternate(response) -> str:
    """The href of the page's link to its ActivityPub form."""
    import re

    found = re.search(
        r'<link\s+rel="alternate"\s+type="application/activity\+json"\s+href="([^"]+)"',
        response.content.decode(),
    )
    assert found, "no link to the ActivityPub form"
    return found.group(1)


@pytest.mark.parametrize("address", ["blog", "entry", "profile"])
@pytest.mark.parametrize("json_first", [True, False])
def test_blog_entry_and_profile_pages_keep_their_two_forms_apart_in_the_cache(
    client, blog, settings, address, json_first
):
    settings.DRAGOMAN_PAGE_CACHE = True
    entry = EntryFactory(blog=blog, title="Visa news")
    blogger = blog.bloggers.first()
    path = {"blog": blog.url, "entry": entry.url, "profile": f"/bloggers/{blogger.slug}/"}[address]
    kind = {"blog": "Service", "entry": "Article", "profile": "Person"}[address]

    # Whichever form is asked first, neither is ever served in place of the other.
    order = [AP, "text/html"] if json_first else ["text/html", AP]
    answers = [client.get(path, headers={"Accept": accept}) for accept in order * 2]

    for accept, response in zip(order * 2, answers, strict=True):
        assert response.status_code == 200
        if accept == AP:
            assert response["Content-Type"] == AP
            assert response.json()["type"] == kind
            assert "X-Cache" not in response
        else:
            assert response["Content-Type"].startswith("text/html")
            assert _alternate(response) == "http://testserver" + path
    html_answers = [r for accept, r in zip(order * 2, answers, strict=True) if accept != AP]
    assert html_answers[-1]["X-Cache"] == "HIT"
    # The link leads to the document itself.
    assert client.get(_alternate(html_answers[-1]), headers={"Accept": AP}).json()["type"] == kind


def test_a_draft_has_no_activity_form(client, blog):
    entry = EntryFactory(blog=blog, live=False)

    response = client.get(f"/entries/{entry.pk}/", headers={"Accept": AP})

    assert response.status_code == 404


def follow(actor_url: str, number: int = 1) -> dict:
    return {
        "id": f"https://other.example/follows/{number}",
        "type": "Follow",
        "actor": REMOTE_ACTOR,
        "object": actor_url,
    }


@pytest.mark.parametrize("scheme", ["cavage", RFC9421])
def test_a_signed_follow_is_accepted(client, blog, scheme):
    remote_actor()
    client.get("/federation/actors/embassy-news")

    response = signed_post(
        client,
        "/federation/actors/embassy-news/inbox",
        follow("http://testserver/federation/actors/embassy-news"),
        scheme=scheme,
    )

    assert response.status_code == 202
    assert Follow.objects.get().status == Follow.Status.ACCEPTED


def test_a_follow_is_accepted_back_and_undone(client, blog, django_capture_on_commit_callbacks):
    from django_tasks import default_task_backend

    from dragoman.federation import queries

    remote_actor()
    client.get("/federation/actors/embassy-news")
    default_task_backend.clear()
    actor_url = "http://testserver/federation/actors/embassy-news"

    with django_capture_on_commit_callbacks(execute=True):
        signed_post(client, "/federation/inbox", follow(actor_url))
    [accept] = [r for r in default_task_backend.results if r.task.name == "inbox_deliver"]
    assert json.loads(accept.kwargs["body"])["type"] == "Accept"
    assert client.get("/federation/actors/embassy-news/followers").json()["totalItems"] == 1

    undo = {
        "id": "https://other.example/undo/1",
        "type": "Undo",
        "actor": REMOTE_ACTOR,
        "object": follow(actor_url),
    }
    response = signed_post(client, "/federation/inbox", undo)

    assert response.status_code == 202
    assert not Follow.objects.exists()
    assert queries.delivery_inboxes(list(LocalActor.objects.all())) == []
    assert client.get("/federation/actors/embassy-news/followers").json()["totalItems"] == 0


def test_a_blog_that_asks_approves_each_follower(client, blog):
    remote_actor()
    client.get("/federation/actors/embassy-news")
    LocalActor.objects.update(manually_approves_followers=True)

    signed_post(
        client, "/federation/inbox", follow("http://testserver/federation/actors/embassy-news")
    )

    assert Follow.objects.get().status == Follow.Status.PENDING


@pytest.mark.parametrize("scheme", ["cavage", RFC9421])
def test_unsigned_wrong_key_forged_tampered_stale_and_replayed_requests_change_nothing(
    client, blog, scheme
):
    from dragoman.federation.signatures import key_pair_new

    remote_actor()
    client.get("/federation/actors/embassy-news")
    document = follow("http://testserver/federation/actors/embassy-news")
    inbox = "/federation/inbox"
    other_private, _other_public = key_pair_new()
    two_hours_ago = timezone.now() - timedelta(hours=2)

    unsigned = client.post(inbox, data=json.dumps(document), content_type=AP)
    wrong_key = signed_post(client, inbox, document, scheme=scheme, private_key_pem=other_private)
    tampered = signed_post(
        client, inbox, document, scheme=scheme, body=json.dumps({**document, "id": "x"})
    )
    stale = signed_post(client, inbox, document, scheme=scheme, now=two_hours_ago)
    forged = signed_post(
        client, inbox, {**document, "actor": "https://third.example/users/eve"}, scheme=scheme
    )

    for response in (unsigned, wrong_key, tampered, stale, forged):
        assert response.status_code == 401, response.content
    assert not Follow.objects.exists()
    assert not RemoteActor.objects.exclude(uri=REMOTE_ACTOR).exists()


@pytest.mark.parametrize("scheme", ["cavage", RFC9421])
def test_a_replayed_request_is_refused(client, blog, scheme):
    from dragoman.federation.signatures import Message, sign

    from .helpers import KEY_ID, PRIVATE

    remote_actor()
    client.get("/federation/actors/embassy-news")
    message = Message.of("POST", "http://testserver/federation/inbox", {})
    message.body = json.dumps(follow("http://testserver/federation/actors/embassy-news")).encode()
    sign(message, key_id=KEY_ID, private_key_pem=PRIVATE, scheme=scheme)
    headers = {k: v for k, v in message.headers.items() if k not in ("host",)}

    first = client.post("/federation/inbox", data=message.body, content_type=AP, headers=headers)
    Follow.objects.all().delete()
    again = client.post("/federation/inbox", data=message.body, content_type=AP, headers=headers)

    assert first.status_code == 202
    assert again.status_code == 401
    assert not Follow.objects.exists()


def test_a_blocked_server_is_dropped(client, blog, caplog):
    remote_actor()
    client.get("/federation/actors/embassy-news")
    DomainBlock.objects.create(domain="other.example")

    response = signed_post(
        client, "/federation/inbox", follow("http://testserver/federation/actors/embassy-news")
    )

    assert response.status_code == 202
    assert not Follow.objects.exists()
    assert "blocked" in caplog.text


@pytest.mark.parametrize(
    "block",
    [
        {"model": "domain", "domain": "example"},  # a parent domain covers its subdomains
        {"model": "actor", "uri": REMOTE_ACTOR},
    ],
)
def test_a_blocked_account_or_parent_domain_is_dropped_with_a_log_line(client, blog, caplog, block):
    from dragoman.federation.models import ActorBlock

    remote_actor()
    client.get("/federation/actors/embassy-news")
    if block["model"] == "domain":
        DomainBlock.objects.create(domain=block["domain"])
    else:
        ActorBlock.objects.create(uri=block["uri"])

    response = signed_post(
        client, "/federation/inbox", follow("http://testserver/federation/actors/embassy-news")
    )

    assert response.status_code == 202
    assert not Follow.objects.exists()
    assert f"dropped Follow from {REMOTE_ACTOR} (blocked)" in caplog.text


@pytest.mark.parametrize("block", ["domain", "actor"])
def test_a_silenced_server_or_account_may_follow_but_its_replies_are_dropped(
    client, blog, caplog, block
):
    from dragoman.conversations.models import Comment
    from dragoman.federation.models import ActorBlock, Severity

    remote_actor()
    client.get("/federation/actors/embassy-news")
    entry = EntryFactory(blog=blog)
    if block == "domain":
        DomainBlock.objects.create(domain="other.example", severity=Severity.SILENCE)
    else:
        ActorBlock.objects.create(uri=REMOTE_ACTOR, severity=Severity.SILENCE)
    reply = {
        "id": "https://other.example/create/1",
        "type": "Create",
        "actor": REMOTE_ACTOR,
        "object": {
            "id": "https://other.example/notes/1",
            "type": "Note",
            "attributedTo": REMOTE_ACTOR,
            "inReplyTo": f"http://testserver/entries/{entry.pk}/",
            "content": "<p>Buy now</p>",
        },
    }

    followed = signed_post(
        client, "/federation/inbox", follow("http://testserver/federation/actors/embassy-news")
    )
    replied = signed_post(client, "/federation/inbox", reply)

    assert followed.status_code == replied.status_code == 202
    assert Follow.objects.get().status == Follow.Status.ACCEPTED
    assert not Comment.objects.exists()
    assert "dropped a reply" in caplog.text


def test_a_mastodon_post_mentioning_the_group_waits_for_the_team(client, db):
    from dragoman.federation import services
    from dragoman.federation.models import Received

    group = services.group_create(username="practitioners", name="Digital practitioners")
    group_url = "http://testserver/federation/actors/practitioners"
    remote_actor()
    assert client.get(group_url).json()["type"] == "Group"
    followed = signed_post(client, "/federation/inbox", follow(group_url))
    assert followed.status_code == 202
    assert Follow.objects.get(local=group).status == Follow.Status.ACCEPTED

    def post(number: int, cc: list[str]) -> dict:
        # As Mastodon sends a public post: mentioned actors in cc, to the shared inbox.
        note = {
            "id": f"https://other.example/users/ana/statuses/{number}",
            "type": "Note",
            "attributedTo": REMOTE_ACTOR,
            "content": "<p>@practitioners How do you moderate at night?</p>",
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "cc": cc,
            "tag": [{"type": "Mention", "href": group_url, "name": "@practitioners@testserver"}],
        }
        return {
            "id": note["id"] + "/activity",
            "type": "Create",
            "actor": REMOTE_ACTOR,
            "to": note["to"],
            "cc": cc,
            "object": note,
        }

    mentioned = signed_post(
        client, "/federation/inbox", post(1, [REMOTE_ACTOR + "/followers", group_url])
    )
    elsewhere = signed_post(client, "/federation/inbox", post(2, [REMOTE_ACTOR + "/followers"]))

    assert mentioned.status_code == elsewhere.status_code == 202
    [kept] = Received.objects.all()
    assert kept.local == group
    assert kept.object_id.endswith("/statuses/1")
    assert not kept.approved  # relayed only once the hosting team approves it
