"""Fetch every subscribed blocklist again (the scheduler runs this daily)."""

from typing import Any

from django.core.management.base import BaseCommand

from dragoman.federation.moderation import subscriptions_refresh


class Command(BaseCommand):
    help = "Fetch every subscribed blocklist (Mastodon CSV) again."

    def handle(self, *args: Any, **options: Any) -> None:
        done = subscriptions_refresh()
        self.stdout.write(f"{done} blocklist(s) refreshed.")
