"""`dragoman entries-refresh ID ...`: send entries down the one path of a change again.

For an operator after a change made outside the services (a fix in the database): the
entries' counts, search documents and pages are brought up to date, as after a publish.
"""

from typing import Any

from django.core.management.base import BaseCommand

from dragoman.blogs import services
from dragoman.blogs.announcements import EntryChange


class Command(BaseCommand):
    help = "Bring these entries' counts, search documents and cached pages up to date."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("entry_ids", nargs="+", type=int, metavar="ID", help="Entry id.")

    def handle(self, *args: Any, entry_ids: list[int], **options: Any) -> None:
        for entry_id in entry_ids:
            services.entry_changed(entry_id=entry_id, change=EntryChange.REFRESHED)
        self.stdout.write(f"Refreshed {len(entry_ids)} entries.")
