"""Reads: each inbox once, only accepted followers."""

from dragoman.federation import queries, services
from dragoman.federation.models import Follow, RemoteActor
from tests.factories import BlogFactory


def _follower(local, number, *, shared="https://big.example/inbox", status="accepted"):
    remote = RemoteActor.objects.create(
        uri=f"https://big.example/users/{number}",
        domain="big.example",
        inbox=f"https://big.example/users/{number}/inbox",
        shared_inbox=shared,
    )
    Follow.objects.create(
        local=local, remote=remote, direction="in", status=status, activity_id=f"{remote.uri}#f"
    )


def test_each_inbox_once_and_only_accepted_followers(db):
    local = services.blog_actor(BlogFactory())
    for number in range(5):
        _follower(local, number)
    _follower(local, 9, shared="")
    _follower(local, 10, shared="https://pending.example/inbox", status="pending")

    assert queries.delivery_inboxes([local]) == [
        "https://big.example/inbox",
        "https://big.example/users/9/inbox",
    ]
    assert queries.follower_count(local) == 6
