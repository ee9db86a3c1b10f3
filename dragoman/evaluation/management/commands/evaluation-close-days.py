from typing import Any

from django.core.management.base import BaseCommand

from dragoman.evaluation import services


class Command(BaseCommand):
    help = (
        "Close the days that are over: count their readers, destroy their reader hashes and "
        "salt, sum their figures; roll daily figures older than two years into months."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        days = services.days_close()
        months = services.figures_roll_up()
        self.stdout.write(f"{len(days)} days closed, {len(months)} months rolled up.")
