"""The scheduler `dragoman serve` starts: the site's periodic jobs.

It runs as a small separate process beside the web server and stops when the server stops
(it watches its parent). Every minute it publishes and unpublishes scheduled content and
reopens comments when a network-wide closure ends; once a day it sends moderators their
digest of pending comments, purges personal data past its retention period and counts
every tag and month again (the counts are kept exactly as entries change; this is a net). Each job is
also a command, for cron: `dragoman publish-scheduled`, `dragoman conversations-reopen`,
`dragoman comments-digest`, `dragoman purge-personal-data`, `dragoman listing-counts`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import sys
import time

INTERVAL_SECONDS = 60
DAY_SECONDS = 24 * 60 * 60
# Management command, and how often it runs (seconds).
PERIODIC_COMMANDS = [
    ("conversations-reopen", INTERVAL_SECONDS),
    ("comments-digest", DAY_SECONDS),
    ("purge-personal-data", DAY_SECONDS),
    ("listing-counts", DAY_SECONDS),
]

logger = logging.getLogger(__name__)


def publish_due() -> None:
    """One pass: publish what is due, unpublish what expired."""
    from django.core.management import call_command

    call_command("publish-scheduled", verbosity=0)


def periodic_run(last_runs: dict[str, float], now: float) -> list[str]:
    """Run the periodic commands that are due (never run counts as due); return their names."""
    from django.core.management import call_command

    ran = []
    for command, every in PERIODIC_COMMANDS:
        if now - last_runs.get(command, float("-inf")) < every:
            continue
        last_runs[command] = now
        try:
            call_command(command, verbosity=0)
            ran.append(command)
        except Exception:
            logger.exception("Periodic job %s failed; it runs again at its next turn.", command)
    return ran


def run_forever(*, interval: float = INTERVAL_SECONDS, parent_pid: int | None = None) -> None:
    """Run the jobs that are due every `interval` seconds until the parent process goes away."""
    from django.db import close_old_connections

    last_runs: dict[str, float] = {}
    while True:
        started = time.monotonic()
        try:
            publish_due()
            periodic_run(last_runs, started)
        except Exception:
            # A failed pass (database briefly away) must not kill the scheduler.
            logger.exception("Scheduled publishing failed; trying again next minute.")
        finally:
            close_old_connections()
        # The parent is checked after every pass, even one that took longer than the interval.
        while True:
            if parent_pid is not None and os.getppid() != parent_pid:
                return  # the server is gone: stop with it
            remaining = interval - (time.monotonic() - started)
            if remaining <= 0:
                break
            time.sleep(min(1.0, remaining))


def start_background() -> subprocess.Popen:
    """Start the scheduler as a child process of the current one (the server to be)."""
    return subprocess.Popen(  # noqa: S603 - our own interpreter and module, no shell
        [sys.executable, "-m", "dragoman.authoring.scheduler", str(os.getpid())],
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
