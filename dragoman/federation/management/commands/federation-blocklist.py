"""Import or export the digital team's blocked servers as Mastodon's CSV.

dragoman federation-blocklist export > blocks.csv
dragoman federation-blocklist import blocks.csv
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dragoman.federation import moderation


class Command(BaseCommand):
    help = "Import or export blocked servers in Mastodon's CSV format."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["import", "export"])
        parser.add_argument("file", nargs="?", help="The CSV file to import.")

    def handle(self, *args: Any, action: str, file: str | None, **options: Any) -> None:
        if action == "export":
            self.stdout.write(moderation.csv_export(), ending="")
            return
        if not file:
            raise CommandError("Name the CSV file to import.")
        try:
            text = Path(file).read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        count = moderation.csv_import(text)
        self.stdout.write(f"{count} blocked server(s) imported.")
