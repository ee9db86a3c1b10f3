"""Import a CSV file into the register from the command line (the admin's import, scripted)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dragoman.channels import services


class Command(BaseCommand):
    help = "Import official channels from a CSV file (the export's columns); all rows or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="UTF-8 CSV file, as /channels/register.csv")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change; save nothing."
        )

    def handle(self, *args: Any, path: Path, dry_run: bool, **options: Any) -> None:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        try:
            plan = (
                services.register_import_plan(data=data)
                if dry_run
                else services.register_import_apply(data=data)
            )
        except services.ImportRefused as refused:
            plan = refused.plan
        for message in plan.file_errors:
            self.stderr.write(message)
        for row_error in plan.errors:
            self.stderr.write(f"line {row_error.line}: {'; '.join(row_error.messages)}")
        if not plan.ok:
            raise CommandError("The file was refused; nothing was saved.")
        for row in plan.changed_rows:
            changes = ", ".join(
                f"{name}: {before!r} → {after!r}" for name, before, after in row.changes
            )
            self.stdout.write(f"line {row.line}: {row.action} {row.channel} {changes}".rstrip())
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"{plan.created} channels {verb} created, {plan.updated} updated, "
            f"{plan.unchanged} unchanged."
        )
