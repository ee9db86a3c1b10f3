"""A one-time link is consumed once, however many requests use it at the same moment.

Run on SQLite by default and on PostgreSQL with DATABASE_URL=postgres://... (as make
test-postgres does): the guarantee comes from the database, so it is proved on both.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from dragoman.authoring.models import Invitation
from dragoman.core.once import one_time_consume
from tests.concurrency import at_once

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8


def test_of_concurrent_consumers_exactly_one_gets_the_link():
    user = User.objects.create_user("invited")
    invitation = Invitation.objects.create(user=user)

    def consume(_number: int) -> bool:
        with transaction.atomic():
            return one_time_consume(
                rows=Invitation.objects.filter(pk=invitation.pk),
                field="accepted_at",
                new=timezone.now(),
            )

    results = at_once(THREADS, consume)

    assert results.count(True) == 1, results
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_a_used_link_is_refused_and_left_as_it_was():
    user = User.objects.create_user("invited")
    used_at = timezone.now()
    Invitation.objects.create(user=user, accepted_at=used_at)

    consumed = one_time_consume(
        rows=Invitation.objects.filter(user=user), field="accepted_at", new=timezone.now()
    )

    assert consumed is False
    assert Invitation.objects.get(user=user).accepted_at == used_at


def test_a_link_tied_to_a_value_works_until_the_value_changes():
    user = User.objects.create_user("reset", password="old-password-1")
    seen = user.password

    first = one_time_consume(
        rows=User.objects.filter(pk=user.pk), field="password", expected=seen, new="new-hash"
    )
    second = one_time_consume(
        rows=User.objects.filter(pk=user.pk), field="password", expected=seen, new="other"
    )

    assert (first, second) == (True, False)
    assert User.objects.get(pk=user.pk).password == "new-hash"
