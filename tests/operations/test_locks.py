"""Periodic jobs once per cluster: two schedulers, one run per job and period."""

from __future__ import annotations

import socket
import uuid

import pytest
from django.db import connection

from dragoman.core import scheduler
from dragoman.operations import locks
from dragoman.operations.models import ScheduledRun
from tests.concurrency import at_once


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_claiming_the_same_job_and_period_get_one_run():
    results = at_once(2, lambda n: locks.scheduled_run_claim("publish-scheduled", 123))

    claimed = [result for result in results if result is True]
    others = [result for result in results if result is not True]
    assert len(claimed) == 1
    if connection.vendor == "sqlite":
        # SQLite's shared in-memory test database refuses a second writer at once (the file
        # Dragoman runs on makes it wait): a refused claim is no run either.
        assert all(result is False or "locked" in str(result) for result in others)
    else:
        assert others == [False]
    assert ScheduledRun.objects.filter(command="publish-scheduled", period=123).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_passing_at_once_run_each_job_once(monkeypatch, caplog):
    ran: list[str] = []
    monkeypatch.setattr(
        "django.core.management.call_command", lambda name, **options: ran.append(name)
    )

    at_once(2, lambda n: scheduler.periodic_run({}, now=1_000_000.0))

    jobs = sorted(command for command, _every in scheduler.PERIODIC_COMMANDS)
    assert len(ran) == len(set(ran))  # never twice
    if connection.vendor == "sqlite":
        # SQLite's shared in-memory test database refuses a second writer at once (the file
        # Dragoman runs on makes it wait): a refused claim skips that job to its next turn,
        # and says so.
        refused = {
            job
            for job in jobs
            for record in caplog.records
            if f"periodic job {job};" in record.getMessage()
        }
        assert sorted(set(ran) | refused) == jobs
    else:
        assert sorted(ran) == jobs


@pytest.mark.django_db
def test_the_next_period_runs_again():
    assert locks.scheduled_run_claim("listing-counts", 1)
    assert not locks.scheduled_run_claim("listing-counts", 1)
    assert locks.scheduled_run_claim("listing-counts", 2)


def redis_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_available(), reason="no Redis on 127.0.0.1:6379")
def test_with_redis_the_claim_is_made_there(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/7",
            "KEY_PREFIX": f"operations-test-{uuid.uuid4().hex}",
        }
    }
    command = f"job-{uuid.uuid4().hex}"

    results = at_once(2, lambda n: locks.scheduled_run_claim(command, 7))

    assert sorted(results) == [False, True]
