"""`dragoman restore`: put a backup back onto an empty machine (see operations/backups.py)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dragoman.operations import backups


class Command(BaseCommand):
    help = (
        "Restore a backup (the newest, or --name) onto this machine's database and media, then "
        "migrate, rebuild the search index and counts, and refresh every cached page."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--from",
            dest="source",
            default=None,
            help="A folder or s3://bucket/prefix (default: DRAGOMAN_BACKUP_TO).",
        )
        parser.add_argument("--name", default=None, help="Which backup (default: the newest).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that already holds a site.",
        )

    def handle(
        self, *args: Any, source: str | None, name: str | None, force: bool, **options: Any
    ) -> None:
        try:
            restored = backups.backup_restore(
                source=source or settings.DRAGOMAN_BACKUP_TO, name=name, force=force
            )
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {restored.name} ({restored.media} media files).")
