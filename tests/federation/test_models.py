"""What the federation's models say of themselves."""

from dragoman.federation.models import RemoteActor


def test_a_remote_actor_is_named_by_its_handle():
    actor = RemoteActor(uri="https://other.example/users/ana", domain="other.example")
    assert actor.handle == "@ana@other.example"
    actor.preferred_username = "Ana"
    assert actor.handle == "@Ana@other.example"


def test_deliveries_go_to_the_shared_inbox_when_there_is_one():
    actor = RemoteActor(inbox="https://o.example/users/ana/inbox")
    assert actor.delivery_inbox == "https://o.example/users/ana/inbox"
    actor.shared_inbox = "https://o.example/inbox"
    assert actor.delivery_inbox == "https://o.example/inbox"
