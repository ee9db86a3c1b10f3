"""Refresh cached public pages after a change made outside the services (a bulk import)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dragoman.publishing import services


class Command(BaseCommand):
    help = "Refresh every cached public page (--all) or those of some entries (--entry ID)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--all", action="store_true", help="Every page of the site.")
        parser.add_argument("--entry", type=int, action="append", default=[], help="Entry id.")

    def handle(self, *args: Any, all: bool, entry: list[int], **options: Any) -> None:
        if not all and not entry:
            raise CommandError("Say what to refresh: --all or --entry ID (repeatable).")
        if all:
            services.listing_counts_rebuild()
            services.site_refresh()
        for entry_id in entry:
            services.entry_pages_refresh(entry_id=entry_id)
        self.stdout.write("Refreshed.")
