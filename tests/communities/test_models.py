from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from dragoman.communities.models import Invitation, token_digest, token_new


def test_an_invitation_is_usable_until_revoked_used_up_or_expired():
    soon = timezone.now() + timedelta(days=1)
    assert Invitation(expires_at=soon, max_uses=2, uses=1).usable()
    assert not Invitation(expires_at=soon, max_uses=2, uses=2).usable()
    assert not Invitation(expires_at=soon, revoked=True).usable()
    assert not Invitation(expires_at=timezone.now() - timedelta(seconds=1)).usable()


def test_secrets_are_long_and_stored_as_digests():
    token = token_new()
    assert len(token) >= 43
    assert token_digest(token) != token and len(token_digest(token)) == 64
