"""Read the bounce mailbox (DRAGOMAN_SUBSCRIPTIONS_BOUNCE_MAILBOX) and suspend addresses that
failed for good."""

from typing import Any

from django.core.management.base import BaseCommand

from dragoman.subscriptions import bounces


class Command(BaseCommand):
    help = "Read the bounce mailbox; suspend the addresses that bounced for good."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--mailbox",
            default=None,
            help="imaps://user:password@host/INBOX, maildir:PATH, mbox:PATH",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = bounces.mailbox_read(options["mailbox"])
        if options["verbosity"]:
            self.stdout.write(f"messages read: {report.messages}, suspended: {report.suspended}")
