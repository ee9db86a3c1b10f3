"""Forget who voted in the question sessions that have ended (the counts stay), and announce
the sessions that have just ended (their transcripts join the feeds and the sitemap)."""

from typing import Any

from django.core.management.base import BaseCommand

from dragoman.questions.services import sessions_ended_announce, votes_forget


class Command(BaseCommand):
    help = "Delete the votes (keyed hashes of readers) of every question session that has ended."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = votes_forget()
        sessions_ended_announce()
        if options["verbosity"] > 1:
            self.stdout.write(f"Forgot {deleted} votes.")
