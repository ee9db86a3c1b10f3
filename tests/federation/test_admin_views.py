"""The team approves a waiting follower (an Accept is queued) and relays a group's post."""

import json

import pytest
from django.contrib.auth import get_user_model
from django_tasks import default_task_backend

from dragoman.federation import queries, services
from dragoman.federation.models import Follow, Received
from tests.factories import BlogFactory

from .helpers import remote_actor


@pytest.fixture
def team_client(client, db, settings):
    settings.BASE_URL = "http://testserver"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    user = get_user_model().objects.create_superuser("team", "t@example.org", "x")
    client.force_login(user)
    return client


def _waiting_follower(number: int = 1) -> Follow:
    """A follower of a blog that asks the digital team to approve each one."""
    actor = services.blog_actor(BlogFactory(slug="embassy-news"))
    actor.manually_approves_followers = True
    actor.save()
    return services.follow_received(
        local=actor, remote=remote_actor(), activity_id=f"https://other.example/f/{number}"
    )


def test_a_waiting_follower_of_a_blog_is_approved(team_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        follow = _waiting_follower()
    assert follow.status == Follow.Status.PENDING
    # Nothing is sent until the team decides, and a waiting follower is told nothing.
    assert not [
        r
        for r in default_task_backend.results
        if r.task.name in ("inbox_deliver", "inboxes_deliver")
    ]
    assert queries.delivery_inboxes([follow.local]) == []

    page = team_client.get("/admin/federation-waiting/")
    assert "@ana@other.example" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        team_client.post("/admin/federation-waiting/", {"action": "approve", "follow": follow.pk})

    assert Follow.objects.get().status == Follow.Status.ACCEPTED
    accepts = [r for r in default_task_backend.results if r.task.name == "inbox_deliver"]
    assert len(accepts) == 1
    assert accepts[0].kwargs["inbox"] == "https://other.example/users/ana/inbox"
    accept = json.loads(accepts[0].kwargs["body"])
    assert accept["type"] == "Accept"
    assert accept["actor"] == "http://testserver/federation/actors/embassy-news"
    assert accept["object"]["id"] == "https://other.example/f/1"
    assert queries.delivery_inboxes([follow.local]) == ["https://other.example/inbox"]


def test_a_waiting_follower_is_turned_away(team_client, django_capture_on_commit_callbacks):
    follow = _waiting_follower()

    with django_capture_on_commit_callbacks(execute=True):
        team_client.post("/admin/federation-waiting/", {"action": "reject", "follow": follow.pk})

    assert not Follow.objects.exists()
    [reject] = [r for r in default_task_backend.results if r.task.name == "inbox_deliver"]
    assert json.loads(reject.kwargs["body"])["type"] == "Reject"


def test_a_post_to_the_group_is_relayed_to_its_followers(
    team_client, django_capture_on_commit_callbacks
):
    from dragoman.federation.models import RemoteActor

    group = services.group_create(username="practitioners", name="Practitioners")
    member = remote_actor()
    services.follow_received(local=group, remote=member, activity_id="https://other.example/f/2")
    other = RemoteActor.objects.create(
        uri="https://third.example/users/bo",
        domain="third.example",
        inbox="https://third.example/users/bo/inbox",
        shared_inbox="https://third.example/inbox",
    )
    services.follow_received(local=group, remote=other, activity_id="https://third.example/f/3")
    default_task_backend.clear()
    post = Received.objects.create(
        object_id="https://other.example/notes/9",
        local=group,
        actor=member,
        kind="Note",
        content="<p>How do you moderate at night?</p>",
        document={
            "id": "https://other.example/notes/9",
            "type": "Note",
            "content": "<p>How do you moderate at night?</p>",
        },
    )

    with django_capture_on_commit_callbacks(execute=True):
        team_client.post("/admin/federation-waiting/", {"action": "relay", "received": post.pk})

    assert Received.objects.get().approved
    relays = [r for r in default_task_backend.results if r.task.name == "inboxes_deliver"]
    # To every follower's server, the author's too (others may follow behind its inbox).
    assert [r.kwargs["inboxes"] for r in relays] == [
        ["https://other.example/inbox", "https://third.example/inbox"]
    ]
    announce = json.loads(relays[0].kwargs["body"])
    assert announce["type"] == "Announce"
    # The approved post travels inside: no server has to fetch it by its id.
    assert announce["object"]["id"] == "https://other.example/notes/9"
    assert announce["object"]["content"] == "<p>How do you moderate at night?</p>"


def test_the_team_opens_a_group_from_the_admin(team_client):
    from django.urls import reverse

    from dragoman.federation.models import LocalActor

    BlogFactory(slug="digital-practitioners")  # a blog whose actor nobody has asked for yet

    response = team_client.post(
        reverse("wagtailsnippets_federation_localactor:add"),
        {"name": "Digital practitioners", "summary": "Across ministries"},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    group = LocalActor.objects.get(kind=LocalActor.Kind.GROUP)
    # Its own username: the blog keeps its slug for its actor.
    assert group.username == "digital-practitioners-2"
    assert "PRIVATE KEY" in group.private_key_pem
    document = team_client.get(f"/federation/actors/{group.username}").json()
    assert document["type"] == "Group"
    assert document["name"] == "Digital practitioners"
    assert "BEGIN PUBLIC KEY" in document["publicKey"]["publicKeyPem"]
    blog_actor = team_client.get("/federation/actors/digital-practitioners").json()
    assert blog_actor["type"] == "Service"


def test_the_team_makes_a_blog_ask_for_approval(team_client):
    from django.urls import reverse

    from dragoman.federation.models import LocalActor

    actor = services.blog_actor(BlogFactory(slug="embassy-news"))

    response = team_client.post(
        reverse("wagtailsnippets_federation_localactor:edit", args=[actor.pk]),
        {"name": "", "summary": "", "manually_approves_followers": "on"},
    )

    assert response.status_code == 302
    actor = LocalActor.objects.get(pk=actor.pk)
    assert actor.manually_approves_followers
    assert (actor.username, actor.kind) == ("embassy-news", LocalActor.Kind.BLOG)
    assert "PRIVATE KEY" in actor.private_key_pem


def test_the_actor_list_shows_every_public_blog_before_anyone_looked_it_up(team_client):
    """So that the team can make a blog ask for approval before its first follower."""
    from django.urls import reverse
    from wagtail.models import PageViewRestriction

    from dragoman.federation.models import LocalActor

    public = BlogFactory(slug="embassy-news")
    private = BlogFactory(slug="alumni-corner")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    assert not LocalActor.objects.filter(blog__in=[public, private]).exists()

    response = team_client.get(reverse("wagtailsnippets_federation_localactor:list"))

    assert response.status_code == 200
    assert "embassy-news" in response.content.decode()
    assert "alumni-corner" not in response.content.decode()
    actor = LocalActor.objects.get(blog=public)
    assert "PRIVATE KEY" in actor.private_key_pem
    assert not LocalActor.objects.filter(blog=private).exists()
