"""`dragoman import-archive FOLDER`: a Dragoman archive (`dragoman export`) imported."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dragoman.migration.archive import ArchiveUnreadable, archive_import

from ._base import batch_size_argument, batch_size_check


class Command(BaseCommand):
    help = "Import a folder written by `dragoman export` (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Report, write nothing.")
        parser.add_argument("--no-progress", action="store_true")
        batch_size_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size_check(options)
        try:
            report = archive_import(
                folder=options["folder"],
                dry_run=options["dry_run"],
                show_progress=not options["no_progress"],
                batch_size=options["batch_size"],
            )
        except ArchiveUnreadable as error:
            raise CommandError(f"{error} Nothing was imported.") from error
        for line in report.lines():
            self.stdout.write(line)
