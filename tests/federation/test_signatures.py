"""Signatures both ways: what we sign verifies; missing, wrong key, tampered body, stale
date and replayed signatures are each refused, in both schemes."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache

from dragoman.federation.signatures import (
    CAVAGE,
    RFC9421,
    Message,
    SignatureRefused,
    key_pair_new,
    sign,
    verify,
)

KEY_ID = "https://other.example/actors/ana#main-key"
PRIVATE, PUBLIC = key_pair_new()
_OTHER_PRIVATE, OTHER_PUBLIC = key_pair_new()


def keys(pem: str):
    return lambda key_id, refresh: pem


def signed(scheme: str, body: bytes = b'{"type": "Follow"}', **kwargs) -> Message:
    message = Message.of(
        "POST", "https://here.example/federation/inbox", {"Content-Type": "application/json"}
    )
    message.body = body
    return sign(message, key_id=KEY_ID, private_key_pem=PRIVATE, scheme=scheme, **kwargs)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.mark.parametrize("scheme", [RFC9421, CAVAGE])
def test_a_signed_request_verifies(scheme):
    assert verify(signed(scheme), key_of=keys(PUBLIC)) == KEY_ID


def test_an_unsigned_request_is_refused():
    message = Message.of("POST", "https://here.example/federation/inbox", {})

    with pytest.raises(SignatureRefused, match="not signed"):
        verify(message, key_of=keys(PUBLIC))


@pytest.mark.parametrize("scheme", [RFC9421, CAVAGE])
def test_a_signature_by_another_key_is_refused(scheme):
    with pytest.raises(SignatureRefused):
        verify(signed(scheme), key_of=keys(OTHER_PUBLIC))


@pytest.mark.parametrize("scheme", [RFC9421, CAVAGE])
def test_a_tampered_body_is_refused(scheme):
    message = signed(scheme)
    message.body = b'{"type": "Delete"}'

    with pytest.raises(SignatureRefused):
        verify(message, key_of=keys(PUBLIC))


@pytest.mark.parametrize("scheme", [RFC9421, CAVAGE])
def test_a_tampered_digest_is_refused(scheme):
    """Body and digest changed together: the signature no longer covers them."""
    from dragoman.federation.signatures import content_digest_header, digest_header

    message = signed(scheme)
    message.body = b'{"type": "Delete"}'
    message.headers["Digest"] = digest_header(message.body)
    message.headers["Content-Digest"] = content_digest_header(message.body)

    with pytest.raises(SignatureRefused):
        verify(message, key_of=keys(PUBLIC))


@pytest.mark.parametrize("scheme", [RFC9421, CAVAGE])
def test_a_stale_date_is_refused(scheme):
    message = signed(scheme, now=datetime.now(UTC) - timedelta(hours=2))

    with pytest.raises(SignatureRefused):
        verify(message, key_of=keys(PUBLIC))


@pytest.mark.parametrize("scheme", [RFC9421, CAVAGE])
def test_a_date_from_the_future_is_refused(scheme):
    message = signed(scheme, now=datetime.now(UTC) + timedelta(hours=2))

    with pytest.raises(SignatureRefused):
        verify(message, key_of=keys(PUBLIC))


@pytest.mark.parametrize("scheme", [RFC9421, CAVAGE])
def test_a_replayed_request_is_refused(scheme):
    message = signed(scheme)
    verify(message, key_of=keys(PUBLIC))

    with pytest.raises(SignatureRefused, match="replay"):
        verify(message, key_of=keys(PUBLIC))


def test_a_cavage_signature_must_cover_the_digest():
    message = signed(CAVAGE)
    message.headers["Signature"] = message.headers["Signature"].replace(
        'headers="(request-target) host date digest"', 'headers="(request-target) host date"'
    )

    with pytest.raises(SignatureRefused, match="digest"):
        verify(message, key_of=keys(PUBLIC))


def test_another_address_is_refused():
    """A signature made for one inbox does not open another."""
    for scheme in (RFC9421, CAVAGE):
        message = signed(scheme)
        message.url = "https://here.example/federation/actors/blog/inbox"
        with pytest.raises(SignatureRefused):
            verify(message, key_of=keys(PUBLIC))


def test_a_rotated_key_is_fetched_again():
    asked = []

    def lookup(key_id, refresh):
        asked.append(refresh)
        return PUBLIC if refresh else OTHER_PUBLIC

    assert verify(signed(CAVAGE), key_of=lookup) == KEY_ID
    assert asked == [False, True]
