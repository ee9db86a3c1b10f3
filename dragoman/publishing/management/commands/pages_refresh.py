"""Refresh every cached public page (after a change made outside the services, a restore)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dragoman.publishing import services


class Command(BaseCommand):
    help = (
        "Refresh every cached public page (--all). The pages of some entries: "
        "`dragoman entries-refresh ID ...`."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--all", action="store_true", help="Every page of the site.")

    def handle(self, *args: Any, all: bool, **options: Any) -> None:
        if not all:
            raise CommandError("Say what to refresh: --all (or `dragoman entries-refresh ID`).")
        services.site_refresh()
        self.stdout.write("Refreshed.")
