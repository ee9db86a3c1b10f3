"""Delete what is kept no longer: addresses unconfirmed for a week, old delivery records."""

from typing import Any

from django.core.management.base import BaseCommand

from dragoman.subscriptions import services


class Command(BaseCommand):
    help = "Delete unconfirmed addresses and follows after a week, old delivery records."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = services.subscriptions_purge()
        if options["verbosity"]:
            self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
