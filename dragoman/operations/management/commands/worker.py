"""`dragoman worker`: run the queued tasks in a process of its own, as long as it lives.

Run several, on one machine or several: each task is taken by one worker only (the queue
locks the row it hands out). With workers running, set DRAGOMAN_SCHEDULER_TASKS=off for
`dragoman serve`, whose scheduler otherwise also runs tasks between its periodic jobs.
`--periodic` also runs the periodic jobs here (once per cluster however many run them: see
operations/locks.py), for app servers started with DRAGOMAN_SCHEDULER=off.
"""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


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

    def handle(
        self,
        *args: Any,
        interval: float,
        periodic: bool,
        max_tasks: int | None,
        verbosity: int,
        **options: Any,
    ) -> None:
        if periodic:
            import os

            from dragoman.core.scheduler import start_background

            os.environ["DRAGOMAN_SCHEDULER_TASKS"] = "off"  # this process runs them
            start_background()
        arguments = ["--queue-name", "*", "--interval", str(interval), "--no-reload"]
        if max_tasks is not None:
            arguments += ["--max-tasks", str(max_tasks)]
        call_command("db_worker", *arguments, verbosity=verbosity)
