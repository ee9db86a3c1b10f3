"""Periodic jobs run once per cluster: the lock the scheduler asks before each run.

Every app server may run the scheduler (`dragoman serve` starts one beside itself); before a
job runs in a period, its scheduler claims (job, period). In Redis, when the cache is Redis,
that is one ``SET NX`` with an expiry; otherwise an insert into ``ScheduledRun`` that a unique
constraint lets only one scheduler make. A scheduler that loses the claim skips the job
until the next period. Periods are numbered from the wall clock, so machines need their
clocks set (NTP), as they do for TLS anyway.
"""

from __future__ import annotations

import os
import socket
from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ScheduledRun

# Claims older than this are deleted as new ones are made: the table stays small.
KEEP_CLAIMS = timedelta(days=7)
REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"


def claimant() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


def uses_redis() -> bool:
    return settings.CACHES["default"]["BACKEND"] == REDIS_BACKEND


def scheduled_run_claim(command: str, period: int) -> bool:
    """Claim the run of `command` in `period`; True for the one scheduler that may run it."""
    if uses_redis():
        # Kept a day: far longer than any period's overlap between two machines' clocks.
        return bool(caches["default"].add(f"operations:run:{command}:{period}", claimant(), 86400))
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(command=command, period=period, claimed_by=claimant())
    except IntegrityError:
        return False
    ScheduledRun.objects.filter(claimed_at__lt=timezone.now() - KEEP_CLAIMS).delete()
    return True
