"""`dragoman worker`: run the queued tasks in a process of its own, as long as it lives.

Run several, on one machine or several: each task is taken by one worker only (the queue
locks the row it hands out). With workers running, set DRAGOMAN_SCHEDULER_TASKS=off for
`dragoman serve`, whose scheduler otherwise also runs tasks between its periodic jobs.
`--periodic` also runs the periodic jobs here (once per cluster however many run them: see
operations/locks.py), for app servers started with DRAGOMAN_SCHEDULER=off.

Each worker keeps a heartbeat in the shared cache and, at each beat, queues again the tasks
left RUNNING by a worker that stopped beating (killed, out of memory): operations/workers.py.
"""

import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from dragoman.operations.workers import heartbeat_start, worker_id_new


class Command(BaseCommand):
    help = "Run queued tasks until stopped (SIGTERM finishes the task at hand)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds between looks at an empty queue.",
        )
        parser.add_argument(
            "--periodic", action="store_true", help="Also run the periodic jobs (a child process)."
        )
        parser.add_argument(
            "--max-tasks", type=int, default=None, help="Stop after this many tasks."
        )
        parser.add_argument(
            "--heartbeat",
            type=float,
            default=float(os.environ.get("DRAGOMAN_WORKER_HEARTBEAT", 10)),
            help="Seconds between heartbeats; a worker silent for three is taken for dead "
            "and its running task is queued again.",
        )

    def handle(
        self,
        *args: Any,
        interval: float,
        periodic: bool,
        max_tasks: int | None,
        heartbeat: float,
        verbosity: int,
        **options: Any,
    ) -> None:
        if periodic:
            from dragoman.core.scheduler import start_background

            os.environ["DRAGOMAN_SCHEDULER_TASKS"] = "off"  # this process runs them
            start_background()
        worker_id = worker_id_new()
        stop = heartbeat_start(worker_id, every=heartbeat)
        arguments = ["--queue-name", "*", "--interval", str(interval), "--no-reload"]
        arguments += ["--worker-id", worker_id]
        if max_tasks is not None:
            arguments += ["--max-tasks", str(max_tasks)]
        try:
            call_command("db_worker", *arguments, verbosity=verbosity)
        finally:
            stop.set()
