"""The comment rate limit holds when one address sends many comments at the same moment.

Ten requests at once from one client, with a limit of five: exactly five get past the limit
(here to the next defence, a damaged form stamp, so that nothing is written) and five are
told to wait, on the file cache and on Redis.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.concurrency import at_once
from tests.factories import EntryFactory

from .conftest import ORIGIN, comment_data

pytestmark = pytest.mark.django_db(transaction=True)

REQUESTS = 10
LIMIT = 5


def test_concurrent_comments_from_one_address_pass_the_limit_exactly(shared_cache, settings):
    settings.DRAGOMAN_COMMENT_RATE_COUNT = LIMIT
    entry = EntryFactory(date=timezone.now() - timedelta(days=1))
    address = reverse("conversations:comment_create", args=[entry.pk])
    data = comment_data(entry, stamp="damaged")

    def send(_number: int) -> Any:
        client = Client(raise_request_exception=False)
        return client.post(address, data, headers={"Origin": ORIGIN})

    responses = at_once(REQUESTS, send)

    statuses = [getattr(response, "status_code", response) for response in responses]
    assert statuses.count(429) == REQUESTS - LIMIT, statuses
    assert statuses.count(400) == LIMIT, statuses
