"""`dragoman backup`: a consistent copy of the running site (see operations/backups.py)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dragoman.operations import backups


class Command(BaseCommand):
    help = (
        "Back up the database and the media while the site serves, with a manifest of "
        "checksums; --verify checks a backup instead; --keep-daily/--keep-weekly prune old ones."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--to",
            default=None,
            help="A folder or s3://bucket/prefix (default: DRAGOMAN_BACKUP_TO).",
        )
        parser.add_argument(
            "--verify",
            nargs="?",
            const="",
            default=None,
            metavar="NAME",
            help="Verify a backup (the newest, or NAME) against its manifest; make none.",
        )
        parser.add_argument("--keep-daily", type=int, default=None, metavar="N")
        parser.add_argument("--keep-weekly", type=int, default=None, metavar="M")

    def handle(
        self,
        *args: Any,
        to: str | None,
        verify: str | None,
        keep_daily: int | None,
        keep_weekly: int | None,
        **options: Any,
    ) -> None:
        to = to or settings.DRAGOMAN_BACKUP_TO
        for value in (keep_daily, keep_weekly):
            if value is not None and value < 0:
                raise CommandError("--keep-daily and --keep-weekly take a number, 0 or more.")
        try:
            if verify is not None:
                name, problems = backups.backup_verify(source=to, name=verify or None)
                if problems:
                    raise CommandError(f"{name} is damaged:\n  " + "\n  ".join(problems))
                self.stdout.write(f"{name} verifies: every file matches its checksum.")
                return
            made = backups.backup_create(to=to, keep_daily=keep_daily, keep_weekly=keep_weekly)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        files = len(made.manifest["files"])
        self.stdout.write(
            f"Backed up to {made.where} ({files} files, {made.manifest['size']} bytes)."
        )
        for name in made.pruned:
            self.stdout.write(f"Removed {name} (retention).")
