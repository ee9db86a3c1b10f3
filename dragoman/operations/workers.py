"""A task whose worker died is run again: heartbeats of `dragoman worker` processes.

django-tasks' database worker marks a task RUNNING when it takes it and SUCCESSFUL or FAILED
when it is done; a worker killed in between (SIGKILL, out of memory, a machine lost) leaves
the task RUNNING for ever, and its follow-up (a subscriber's email, a federation delivery)
would never happen. So each `dragoman worker` names itself (`worker_id_new`) and keeps a
heartbeat in the shared cache; every worker, at each beat, puts back in the queue the tasks
RUNNING under a worker whose heartbeat has expired (`tasks_orphaned_requeue`).

A task may so run twice when its worker died after its work and before recording it: the
tasks are written to bear that (subscriptions never send twice, deliveries are idempotent).
Only tasks taken by `dragoman worker` are watched (their worker ids start with PREFIX): the
scheduler beside `dragoman serve` runs tasks without a heartbeat.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from datetime import timedelta

from django.core.cache import cache
from django.db import close_old_connections
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

PREFIX = "dw:"
# Beats missed before a worker counts as dead: one late beat (a busy machine) is not death.
BEATS_MISSED = 3


def worker_id_new() -> str:
    """A worker id unique in the cluster (django-tasks allows 64 characters)."""
    return f"{PREFIX}{socket.gethostname()[:30]}:{os.getpid()}:{secrets.token_hex(6)}"


def heartbeat_key(worker_id: str) -> str:
    return f"dragoman:worker:{worker_id}"


def heartbeat(worker_id: str, *, every: float) -> None:
    """Say this worker is alive for the next BEATS_MISSED beats."""
    cache.set(heartbeat_key(worker_id), 1, timeout=max(1, round(every * BEATS_MISSED)))


def tasks_orphaned_requeue(*, every: float) -> int:
    """Put back in the queue the tasks whose `dragoman worker` stopped beating; how many."""
    grace = timezone.now() - timedelta(seconds=every * BEATS_MISSED)
    running = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=grace
    ).values_list("pk", "worker_ids", "started_at")
    requeued = 0
    for pk, worker_ids, started_at in running:
        worker_id = worker_ids[-1] if worker_ids else ""
        if not worker_id.startswith(PREFIX) or cache.get(heartbeat_key(worker_id)) is not None:
            continue
        # Only if still the same run: another worker may have requeued and taken it since.
        requeued += DBTaskResult.objects.filter(
            pk=pk, status=TaskResultStatus.RUNNING, started_at=started_at
        ).update(status=TaskResultStatus.READY, started_at=None)
        logger.warning("Task %s was running on worker %s, which died: queued again", pk, worker_id)
    return requeued


def heartbeat_start(worker_id: str, *, every: float) -> threading.Event:
    """Beat in a thread of this process until the returned event is set (or it exits)."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.is_set():
            try:
                heartbeat(worker_id, every=every)
                tasks_orphaned_requeue(every=every)
            except Exception:
                logger.exception("Worker heartbeat failed; trying again")
            finally:
                close_old_connections()
            stop.wait(every)

    heartbeat(worker_id, every=every)  # alive before the first task is taken
    threading.Thread(target=beat, name="worker-heartbeat", daemon=True).start()
    return stop
