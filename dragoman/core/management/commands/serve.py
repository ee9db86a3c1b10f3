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
            "--live-port",
            type=int,
            default=int(os.environ.get("DRAGOMAN_LIVE_PORT", 0) or 0),
            help="Port of the live streams' ASGI server (default: the next port; 0 with "
            "--no-live).",
        )
        parser.add_argument(
            "--no-live",
            action="store_true",
            help="Do not start the live streams' server (a front server routes /live/ elsewhere).",
        )
        parser.add_argument(
            "--no-setup",
            action="store_true",
            help="Skip migrate and collectstatic (when a deploy step already ran them).",
        )

    def handle(
        self,
        *args: Any,
        host: str,
        port: int,
        workers: int,
        no_setup: bool,
        live_port: int = 0,
        no_live: bool = False,
        **options: Any,
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
            # Measured and left out (bench/spike_app.py, cache hits): --runtime-mode st,
            # --http 1, --no-log and a small --backpressure were no faster, or slower.
            "dragoman.wsgi:application",
        ]
        self.stdout.write(f"Serving on http://{host}:{port}/ with {workers} workers (Ctrl+C stops)")
        sys.stdout.flush()
        # Each server process writes its metrics to files here and any one of them sums them
        # all for /metrics (prometheus-client's multiprocess mode): emptied at each start, as
        # its documentation asks, so a counter never adds a previous run's.
        metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or str(
            settings.DATA_DIR / "metrics"
        )
        shutil.rmtree(metrics_dir, ignore_errors=True)
        os.makedirs(metrics_dir, exist_ok=True)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
        # glibc's malloc gives each thread that allocates an arena of its own (up to eight per
        # core); the servers' few threads (granian's, the live process's readers) need two:
        # about 20 MB less in all with 2,000 streams open, measured with bench/live.py. Set
        # before any server process starts, as glibc reads it once. An operator's value stands.
        os.environ.setdefault("MALLOC_ARENA_MAX", "2")
        live_application = getattr(settings, "DRAGOMAN_LIVE_APPLICATION", "")
        if live_application and not no_live:
            live_port = live_port or port + 1
            self.live_start(host, live_port, live_application, pages_port=port)
        if os.environ.get("DRAGOMAN_SCHEDULER", "on") != "off":
            # Scheduled entries go live by themselves; the scheduler stops with the server.
            from dragoman.core.scheduler import start_background

            start_background()
        # The server replaces this process, so signals (Ctrl+C, SIGTERM) reach it directly
        # and it shuts down gracefully, finishing the requests it has.
        os.execv(command[0], command)  # noqa: S606 - fixed argument list, no shell

    def live_start(self, host: str, port: int, application: str, *, pages_port: int) -> None:
        """The live streams (question sessions' server-sent events) in an ASGI granian process
        of its own: one asyncio loop holds thousands of idle streams, while the pages keep
        the WSGI server and its page-cache fast path untouched (measured: bench/live.py).
        Pages reach it on this port of their own host unless DRAGOMAN_LIVE_URL names where a
        front server routes /live/. It stops with the server (it watches its parent)."""
        import subprocess

        os.environ.setdefault("DRAGOMAN_LIVE_PORT", str(port))
        # The live process asks these pages whether a session is public (it has no models).
        pages_host = "127.0.0.1" if host in ("0.0.0.0", "", "::") else host  # noqa: S104
        if ":" in pages_host:
            pages_host = f"[{pages_host}]"
        os.environ.setdefault("DRAGOMAN_LIVE_PAGES_URL", f"http://{pages_host}:{pages_port}")
        # granian answers at most `backpressure` requests at once (by default the backlog,
        # 1,024): a stream is a request that lasts, so allow them all.
        backpressure = int(getattr(settings, "DRAGOMAN_LIVE_MAX_STREAMS", 20000)) + 100
        # Served in the watcher's own process (granian's embedded server): granian's command
        # line would add a supervisor process of its own for its one worker (about 30 MB).
        subprocess.run(  # noqa: S603 - fixed argument list, no shell; returns once detached
            [
                sys.executable,
                "-m",
                "dragoman.core.children",
                str(os.getpid()),
                "--embed",
                application,
                host,
                str(port),
                str(backpressure),
            ],
            check=True,
        )
        self.stdout.write(f"Live streams on http://{host}:{port}/live/")
