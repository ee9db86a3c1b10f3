"""Readiness: may a load balancer send this app server readers now?

Each check is one cheap round trip, so that `/readyz` can be called every second: the
database answers, the cache stores and returns a value, every migration is applied (checked
against the migration files once, then remembered: code and schema change only with a
deploy, which starts new processes), and the task queue's backlog is under
DRAGOMAN_READY_MAX_BACKLOG.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)
_migrations_applied = False


def database_check() -> str:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def cache_check() -> str:
    cache.set("operations:ready", 1, 30)
    if cache.get("operations:ready") != 1:
        raise RuntimeError("the cache does not keep what it is given")
    return "ok"


def migrations_check() -> str:
    global _migrations_applied
    if not _migrations_applied:
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            raise RuntimeError(f"{len(plan)} migrations not applied")
        _migrations_applied = True
    return "ok"


def task_backlog() -> int | None:
    """Tasks ready to run and not yet taken (None when the queue is not in the database)."""
    from django_tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task_backends["default"], DatabaseBackend):
        return None
    return DBTaskResult.objects.ready().count()


def tasks_check() -> str:
    backlog = task_backlog()
    if backlog is None:
        return "ok"
    if backlog > settings.DRAGOMAN_READY_MAX_BACKLOG:
        raise RuntimeError(
            f"{backlog} tasks waiting, more than {settings.DRAGOMAN_READY_MAX_BACKLOG}"
        )
    return "ok"


CHECKS: dict[str, Callable[[], str]] = {
    "database": database_check,
    "cache": cache_check,
    "migrations": migrations_check,
    "tasks": tasks_check,
}


def readiness() -> tuple[bool, dict[str, str]]:
    """Run every check; (all passed, {check: "ok" or why not})."""
    results: dict[str, str] = {}
    ready = True
    for name, check in CHECKS.items():
        if name != "database" and results.get("database", "ok") != "ok" and name != "cache":
            results[name] = "skipped: no database"
            continue
        try:
            results[name] = check()
        except Exception as error:
            ready = False
            # The reason goes to the operator's log; the answer names the check and the
            # kind of error only (no addresses or credentials to whoever can reach it).
            logger.warning("Not ready: %s check failed: %s", name, error)
            results[name] = f"failed: {type(error).__name__}"
    return ready, results
