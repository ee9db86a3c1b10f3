"""`dragoman listing-counts`: count every tag and month again (daily, and after bulk writes)."""

from typing import Any

from django.core.management.base import BaseCommand

from dragoman.blogs import services


class Command(BaseCommand):
    help = "Count the live entries of every tag and month again; refresh pages if counts moved."

    def handle(self, *args: Any, **options: Any) -> None:
        services.listing_counts_rebuild()
        if options["verbosity"]:
            self.stdout.write("Tag and month counts are up to date.")
