"""`dragoman comments-digest`: email moderators the list of comments waiting for them."""

from typing import Any

from django.core.management.base import BaseCommand

from dragoman.conversations.notifications import moderators_digest_send


class Command(BaseCommand):
    help = "Email every moderator a digest of the comments waiting for moderation."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count, send nothing.")

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        comments, recipients = moderators_digest_send(dry_run=dry_run)
        self.stdout.write(f"{comments} comments waiting; digest sent to {recipients} moderators.")
