"""Send the daily and weekly digests that are due (hourly, from the scheduler)."""

from typing import Any

from django.core.management.base import BaseCommand

from dragoman.subscriptions import sending


class Command(BaseCommand):
    help = "Send the daily and weekly digests that are due."

    def handle(self, *args: Any, **options: Any) -> None:
        sending.claims_recover()
        sent = sending.digests_send()
        if options["verbosity"]:
            self.stdout.write(f"digests sent: {sent}")
