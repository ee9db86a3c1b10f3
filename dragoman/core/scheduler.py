"""The scheduler `dragoman serve` starts: the site's periodic jobs and its task queue.

It runs as a small separate process beside the web server and stops when the server stops
(it watches its parent). The jobs are management commands, each registered by the app that
owns it, in its ``AppConfig.ready``, with how often it runs (``every``): publishing what is
due every minute, reopening comments, daily digests and purges, and the daily recount of
every tag and month (a safety net: counts are kept exactly as entries change). Each job is
also a command, for cron. Between jobs it runs the tasks queued in the database (django-tasks:
notifications, and the slow listeners of announcements), every few seconds.
"""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable

INTERVAL_SECONDS = 60
DAY_SECONDS = 24 * 60 * 60
# How often queued tasks are looked for: an email after a comment waits at most this long.
TASK_POLL_SECONDS = 2.0

# Management command, and how often it runs (seconds), in the order registered.
PERIODIC_COMMANDS: list[tuple[str, float]] = []


def every(seconds: float, command: str) -> None:
    """Run the management command `command` every `seconds` (from the owning app's ready)."""
    if command not in {name for name, _every in PERIODIC_COMMANDS}:
        PERIODIC_COMMANDS.append((command, seconds))


def _claim_always(command: str, period: int) -> bool:
    return True


# Whether this scheduler may run `command` in the period numbered `period` (seconds since the
# epoch // its interval). Alone on one machine, always; with a scheduler beside each app
# server, operations provides a lock in the database or Redis (`claim_provide`), so that each
# job runs once per cluster per period.
_claim: Callable[[str, int], bool] = _claim_always


def claim_provide(claim: Callable[[str, int], bool]) -> None:
    """Decide who runs a periodic job in a period (operations' lock; see `_claim`)."""
    global _claim
    _claim = claim


logger = logging.getLogger(__name__)


def periodic_run(last_runs: dict[str, float], now: float) -> list[str]:
    """Run the periodic commands that are due (never run counts as due); return their names.

    `now` is wall-clock seconds: every scheduler of a cluster numbers the periods alike, and
    one that another scheduler ran in this period is skipped (`_claim`)."""
    from django.core.management import call_command

    ran = []
    for command, every in PERIODIC_COMMANDS:
        if now - last_runs.get(command, float("-inf")) < every:
            continue
        last_runs[command] = now
        try:
            claimed = _claim(command, int(now // every))
        except Exception:
            logger.exception("Could not claim periodic job %s; it runs at its next turn.", command)
            continue
        if not claimed:
            continue  # another scheduler of the cluster runs it in this period
        try:
            call_command(command, verbosity=0)
            ran.append(command)
        except Exception:
            logger.exception("Periodic job %s failed; it runs again at its next turn.", command)
    return ran


def tasks_run() -> None:
    """Run the tasks waiting in the database queue, when that is the queue (another backend
    runs its tasks itself, at once or in its own workers)."""
    from django.core.management import call_command
    from django_tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend

    # Off where `dragoman worker` processes run the tasks (several app servers).
    if os.environ.get("DRAGOMAN_SCHEDULER_TASKS", "on") == "off":
        return
    if isinstance(task_backends["default"], DatabaseBackend):
        call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)


def run_forever(*, interval: float = INTERVAL_SECONDS, parent_pid: int | None = None) -> None:
    """Run the jobs that are due every `interval` seconds, and the queued tasks between
    them, until the parent process goes away."""
    from django.db import close_old_connections

    last_runs: dict[str, float] = {}
    while True:
        started = time.monotonic()
        try:
            periodic_run(last_runs, time.time())
        except Exception:
            # A failed pass (database briefly away) must not kill the scheduler.
            logger.exception("Periodic jobs failed; trying again next minute.")
        finally:
            close_old_connections()
        # The parent is checked after every pass, even one that took longer than the interval.
        while True:
            if parent_pid is not None and os.getppid() != parent_pid:
                return  # the server is gone: stop with it
            remaining = interval - (time.monotonic() - started)
            if remaining <= 0:
                break
            try:
                tasks_run()
            except Exception:
                logger.exception("Running queued tasks failed; trying again shortly.")
            finally:
                close_old_connections()
            time.sleep(min(TASK_POLL_SECONDS, max(remaining, 0)))


def start_background() -> subprocess.Popen:
    """Start the scheduler as a child process of the current one (the server to be)."""
    return subprocess.Popen(  # noqa: S603 - our own interpreter and module, no shell
        [sys.executable, "-m", "dragoman.core.scheduler", str(os.getpid())],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "dragoman.settings"},
    )


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dragoman.settings")
    django.setup()
    parent_pid = int(sys.argv[1]) if len(sys.argv) > 1 else None
    # Ctrl+C reaches the whole process group: stop quietly with the server.
    with contextlib.suppress(KeyboardInterrupt):
        run_forever(parent_pid=parent_pid)


if __name__ == "__main__":
    main()
