"""The server's own actor, and the signature it puts on our fetches of other servers' documents.

Servers in authorized-fetch mode (Mastodon's "secure mode", and ours with
``DRAGOMAN_FEDERATION_AUTHORIZED_FETCH``) answer actors, keys and objects only to signed
requests. As Mastodon does, we sign those GETs with one actor that stands for the whole server
(``/federation/actor``, an ``Application``): signing as a blog would tell the other server which
blog is reading, and a fetch often happens before any of our actors is involved. Its own
document is served to anyone, signed or not, so that checking its signature never needs a
signed fetch in turn.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from .models import LocalActor
from .signatures import Message, sign

# Not a slug (a dot), so no blog or blogger can ever take it or be shadowed by it.
USERNAME = "instance.actor"


def instance_actor() -> LocalActor:
    """The server's actor, made with its key pair the first time it is needed."""
    actor = LocalActor.objects.filter(kind=LocalActor.Kind.INSTANCE).first()
    if actor is not None:
        return actor
    from .signatures import key_pair_new

    private, public = key_pair_new()
    try:
        with transaction.atomic():
            return LocalActor.objects.create(
                kind=LocalActor.Kind.INSTANCE,
                username=USERNAME,
                private_key_pem=private,
                public_key_pem=public,
            )
    except IntegrityError:  # made at the same moment by another process
        return LocalActor.objects.get(username=USERNAME)


def fetch_sign(message: Message, scheme: str) -> Message:
    """Sign a GET of another server's document as this server."""
    from .activities import key_id

    actor = instance_actor()
    return sign(message, key_id=key_id(actor), private_key_pem=actor.private_key_pem, scheme=scheme)
