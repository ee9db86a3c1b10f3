from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dragoman.evaluation import reports


class Command(BaseCommand):
    help = "On the first day of a month, email each mission's report of the month before."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="send the last month's reports on any day"
        )

    def handle(self, *args: Any, force: bool, **options: Any) -> None:
        sent = reports.monthly_reports_send(force=force)
        self.stdout.write(f"{len(sent)} monthly reports sent.")
