"""The one-time link an invited blogger follows to set a password."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

# An invited diplomat may be travelling; three days is long enough, and short enough that a
# forgotten email is not a standing key to the admin.
INVITATION_TIMEOUT_SECONDS = 72 * 60 * 60


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Django's password-reset token with its own salt and a 72-hour life.

    The hash covers the password and last login, so the token dies once used; it also covers
    whether the invitation was accepted, for accounts whose password was set another way.
    """

    key_salt = "dragoman.authoring.tokens.InvitationTokenGenerator"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        invitation = getattr(user, "invitation", None)
        accepted = (
            invitation.accepted_at.isoformat() if invitation and invitation.accepted_at else ""
        )
        return super()._make_hash_value(user, timestamp) + accepted

    def check_token(self, user: Any, token: str | None) -> bool:
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return (self._num_seconds(self._now()) - timestamp) <= INVITATION_TIMEOUT_SECONDS


invitation_token_generator = InvitationTokenGenerator()
