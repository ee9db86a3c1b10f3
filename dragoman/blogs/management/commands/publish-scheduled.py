"""`dragoman publish-scheduled`: publish due entries, unpublish expired ones (for cron).

It also refreshes the lists that entries dated in the future join once their date passes.
"""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from dragoman.blogs import services


class Command(BaseCommand):
    help = "Publish entries whose scheduled time has passed and unpublish expired ones."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only list what is due.")

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        # Wagtail's command does the work (pages, snippets, its own log entries).
        call_command(
            "publish_scheduled", dryrun=dry_run, stdout=self.stdout, verbosity=options["verbosity"]
        )
        if dry_run:
            return
        came_due = services.entries_came_due()
        if came_due and options["verbosity"]:
            self.stdout.write(f"{came_due} entries reached their publication date.")
