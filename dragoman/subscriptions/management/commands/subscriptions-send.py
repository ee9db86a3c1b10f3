"""Send queued entry messages (the safety net of the task chain; also for cron)."""

from typing import Any

from django.core.management.base import BaseCommand

from dragoman.subscriptions import sending


class Command(BaseCommand):
    help = "Release dead workers' claims, then send one batch of queued entry messages."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batches", type=int, default=1, help="Batches to send (default 1).")

    def handle(self, *args: Any, **options: Any) -> None:
        uncertain, requeued = sending.claims_recover()
        sent = 0
        for _batch in range(max(1, options["batches"])):
            report = sending.deliveries_send()
            sent += report.sent
            if report.temporary_failure or not report.remaining:
                break
        if options["verbosity"]:
            self.stdout.write(f"sent {sent}, requeued {requeued}, uncertain {uncertain}")
