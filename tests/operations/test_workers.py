"""A task whose `dragoman worker` died is queued again (dragoman/operations/workers.py). The
SIGKILL of a real worker under load: tests/operations/test_cluster.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dragoman.core.changes import ContentChanged, _task_enqueue
from dragoman.operations.workers import (
    heartbeat,
    heartbeat_key,
    tasks_orphaned_requeue,
    worker_id_new,
)

pytestmark = pytest.mark.django_db


def task_taken(worker_id: str, *, seconds_ago: float) -> DBTaskResult:
    _task_enqueue(
        "tests.core.test_scheduler.listener", ContentChanged(shown_on=("home",)), attempt=1
    )
    result = DBTaskResult.objects.ready().order_by("-enqueued_at").first()
    result.claim(worker_id)
    DBTaskResult.objects.filter(pk=result.pk).update(
        started_at=timezone.now() - timedelta(seconds=seconds_ago)
    )
    return result


def status_of(result: DBTaskResult) -> str:
    return DBTaskResult.objects.get(pk=result.pk).status


def test_the_task_of_a_worker_that_stopped_beating_is_queued_again():
    dead = worker_id_new()
    result = task_taken(dead, seconds_ago=60)
    cache.delete(heartbeat_key(dead))

    requeued = tasks_orphaned_requeue(every=1)

    assert requeued == 1
    assert status_of(result) == TaskResultStatus.READY


def test_the_task_of_a_beating_worker_is_left_to_it():
    alive = worker_id_new()
    result = task_taken(alive, seconds_ago=60)
    heartbeat(alive, every=10)

    requeued = tasks_orphaned_requeue(every=1)

    assert requeued == 0
    assert status_of(result) == TaskResultStatus.RUNNING


def test_a_task_just_taken_is_left_while_its_worker_may_still_beat():
    silent = worker_id_new()
    result = task_taken(silent, seconds_ago=0)
    cache.delete(heartbeat_key(silent))

    tasks_orphaned_requeue(every=10)

    assert status_of(result) == TaskResultStatus.RUNNING


def test_tasks_the_servers_scheduler_runs_are_not_watched():
    # The scheduler beside `dragoman serve` keeps no heartbeat: its tasks are never taken back.
    result = task_taken("a" * 32, seconds_ago=600)

    tasks_orphaned_requeue(every=1)

    assert status_of(result) == TaskResultStatus.RUNNING


def test_worker_ids_fit_django_tasks_limit_and_differ():
    first, second = worker_id_new(), worker_id_new()

    assert first != second
    assert len(first) <= 64
