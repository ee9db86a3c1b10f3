"""`dragoman conversations-reopen`: reopen comment forms once the set reopening time passed."""

from typing import Any

from django.core.management.base import BaseCommand

from dragoman.conversations.services import network_conversations_reopen_due


class Command(BaseCommand):
    help = "Reopen the network's comment forms when their reopening time has passed (run often)."

    def handle(self, *args: Any, **options: Any) -> None:
        reopened = network_conversations_reopen_due()
        self.stdout.write("Comment forms reopened." if reopened else "Nothing to reopen.")
