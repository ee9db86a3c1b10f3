"""Invitation and password-reset links set one password, even when sent twice at once.

Several browsers send the "choose your password" form of the same link at the same moment
(threads, each with its own connection); exactly one password is set, the others are told the
link is used. Run on SQLite and on PostgreSQL (DATABASE_URL), as the whole suite is.

SQLite's test database lives in memory with a shared cache, where a second writer finds the
table locked at once instead of waiting as it does on the file Dragoman runs on (busy
timeout): there a concurrent loser may get that error (a 500) rather than the "link used"
page. What must hold on both is that exactly one password is set; on PostgreSQL every loser
must also get the proper answer.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from dragoman.authoring import services
from dragoman.authoring.models import Invitation
from tests.concurrency import at_once

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 6


def loser_answers(*proper: int) -> set[int]:
    # See the module's docstring: SQLite's in-memory test database cannot make writers wait.
    return {*proper, 500} if connection.vendor == "sqlite" else set(proper)


def passwords(number: int) -> dict[str, str]:
    password = f"Harbour-at-dawn-{number}-2026"
    return {"new_password1": password, "new_password2": password}


def test_an_invitation_sent_by_several_browsers_at_once_sets_one_password():
    user = User.objects.create_user("layla", "layla@example.org")
    invitation = Invitation.objects.create(user=user)
    link = services.invitation_link(invitation=invitation).split("://", 1)[1]
    path = link[link.index("/") :]

    def accept(number: int) -> Any:
        return Client(raise_request_exception=False).post(path, passwords(number))

    responses = at_once(THREADS, accept)

    statuses = [getattr(response, "status_code", response) for response in responses]
    assert statuses.count(302) == 1, statuses
    winner = statuses.index(302)
    user.refresh_from_db()
    assert user.check_password(passwords(winner)["new_password1"])
    assert set(statuses) - {302} <= loser_answers(410), statuses


def test_a_password_reset_link_sent_by_several_browsers_at_once_sets_one_password():
    user = User.objects.create_user("omar", "omar@example.org", "Old-password-2026")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    start = reverse("wagtailadmin_password_reset_confirm", args=[uid, token])

    def reset(number: int) -> Any:
        client = Client(raise_request_exception=False)
        # Django moves the token into the session, then asks for the password.
        form = client.get(start)
        if form.status_code != 302:
            return form  # the link was used up before this browser opened it
        return client.post(form["Location"], passwords(number))

    responses = at_once(THREADS, reset)

    statuses = [getattr(response, "status_code", response) for response in responses]
    assert statuses.count(302) == 1, statuses
    winner = statuses.index(302)
    user.refresh_from_db()
    assert user.check_password(passwords(winner)["new_password1"])
    assert set(statuses) - {302} <= loser_answers(200, 410), statuses
