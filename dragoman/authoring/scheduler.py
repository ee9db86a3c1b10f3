"""The scheduler `dragoman serve` starts: publishes and unpublishes scheduled content.

It runs as a small separate process beside the web server, calling Wagtail's
publish_scheduled once a minute, and stops when the server stops (it watches its parent).
`dragoman publish-scheduled` runs one pass, for cron.
"""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import sys
import time

INTERVAL_SECONDS = 60

logger = logging.getLogger(__name__)


def publish_due() -> None:
    """One pass: publish what is due, unpublish what expired."""
    from django.core.management import call_command

    call_command("publish_scheduled", verbosity=0)


def run_forever(*, interval: float = INTERVAL_SECONDS, parent_pid: int | None = None) -> None:
    """Publish what is due every `interval` seconds until the parent process goes away."""
    from django.db import close_old_connections

    while True:
        started = time.monotonic()
        try:
            publish_due()
        except Exception:
            # A failed pass (database briefly away) must not kill the scheduler.
            logger.exception("Scheduled publishing failed; trying again next minute.")
        finally:
            close_old_connections()
        while time.monotonic() - started < interval:
            if parent_pid is not None and os.getppid() != parent_pid:
                return  # the server is gone: stop with it
            time.sleep(1)


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
