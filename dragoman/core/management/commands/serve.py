"""Run Dragoman with a production-grade server (granian), workers for the cores.

granian was chosen by measurement (bench/servers.py): on the cached entry page it served
several times the requests per second of gunicorn (sync or threads) and uvicorn (ASGI or
WSGI) on the same machine, with one worker per core. Page-cache hits are answered by
`dragoman.wsgi` before Django builds a request (dragoman/publishing/wsgi.py).
"""

import os
import shutil
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate, collect static files, then serve the site with granian."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("DRAGOMAN_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("DRAGOMAN_PORT", 8000)))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("DRAGOMAN_WORKERS", os.cpu_count() or 1)),
            help="Server processes (default: one per core).",
        )
        parser.add_argument(
            "--no-setup",
            action="store_true",
            help="Skip migrate and collectstatic (when a deploy step already ran them).",
        )

    def handle(
        self, *args: Any, host: str, port: int, workers: int, no_setup: bool, **options: Any
    ) -> None:
        if not no_setup:
            settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
            call_command("migrate", interactive=False, verbosity=0)
            call_command("collectstatic", interactive=False, verbosity=0)
        granian = shutil.which("granian", path=os.path.dirname(sys.executable)) or "granian"
        command = [
            granian,
            "--interface",
            "wsgi",
            "--host",
            host,
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--blocking-threads",
            "1",
            "--no-ws",
            "--workers-kill-timeout",
            "30",
            # A worker that dies (out of memory, a crash in a C library) comes back.
            "--respawn-failed-workers",
            "dragoman.wsgi:application",
        ]
        self.stdout.write(f"Serving on http://{host}:{port}/ with {workers} workers (Ctrl+C stops)")
        sys.stdout.flush()
        if os.environ.get("DRAGOMAN_SCHEDULER", "on") != "off":
            # Scheduled entries go live by themselves; the scheduler stops with the server.
            from dragoman.authoring.scheduler import start_background

            start_background()
        # The server replaces this process, so signals (Ctrl+C, SIGTERM) reach it directly
        # and it shuts down gracefully, finishing the requests it has.
        os.execv(command[0], command)  # noqa: S606 - fixed argument list, no shell
