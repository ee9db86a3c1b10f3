"""`dragoman purge-personal-data`: forget readers' email addresses and client hashes."""

from typing import Any

from django.core.management.base import BaseCommand

from dragoman.conversations.services import personal_data_purge, retention_days


class Command(BaseCommand):
    help = (
        "Erase email addresses and client hashes of comments older than the retention period "
        "(DRAGOMAN_COMMENT_RETENTION_DAYS). Run daily by the scheduler."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--days", type=int, default=None, help="Override the retention period.")
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")

    def handle(self, *args: Any, days: int | None, dry_run: bool, **options: Any) -> None:
        count = personal_data_purge(days=days, dry_run=dry_run)
        period = retention_days() if days is None else days
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"{count} comments older than {period} days {verb} purged of personal data."
        )
