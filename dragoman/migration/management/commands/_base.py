"""What `import-wordpress` and `import-ghost` share: the options, their checks, the report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dragoman.migration.report import Report
from dragoman.migration.services import BATCH_SIZE


def batch_size_argument(parser: CommandParser) -> None:
    """Every import's ``--batch-size`` (checked by ``batch_size_check``)."""
    parser.add_argument(
        "--batch-size",
        type=int,
        default=BATCH_SIZE,
        help="Entries written per transaction, their counts, search documents and "
        "announcements made once at its end (default %(default)s; 1: each entry on its "
        "own, as an editor's change).",
    )


def batch_size_check(options: dict[str, Any]) -> None:
    if options["batch_size"] < 1:
        raise CommandError("--batch-size must be 1 or more.")


class ImportCommand(BaseCommand):
    """An export file imported onto a blog: subclasses name the file, the media folder and
    the function that imports, and the error that means the file cannot be read."""

    file_help = "The export file."
    media_help = "A copy of the site's media folder."
    fetch_help = "Download the files not found in --media from the old site."
    blog_help = "Slug of the blog to import onto (made if missing)."
    unreadable: type[Exception] = Exception

    def importer(self) -> Callable[..., Report]:
        raise NotImplementedError

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=self.file_help)
        parser.add_argument("--blog", help=self.blog_help)
        parser.add_argument("--media", type=Path, help=self.media_help)
        parser.add_argument("--fetch-media", action="store_true", help=self.fetch_help)
        parser.add_argument("--language", help="The entries' language (default: the site's).")
        parser.add_argument("--dry-run", action="store_true", help="Report, write nothing.")
        parser.add_argument("--no-progress", action="store_true")
        batch_size_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        media = options["media"]
        if media is not None and not media.is_dir():
            raise CommandError(f"No such folder: {media}")
        batch_size_check(options)
        try:
            report = self.importer()(
                path=path,
                blog_slug=options["blog"],
                media_folder=media,
                fetch_media=options["fetch_media"],
                language=options["language"],
                dry_run=options["dry_run"],
                show_progress=not options["no_progress"],
                batch_size=options["batch_size"],
            )
        except self.unreadable as error:
            raise CommandError(f"{path}: {error} Nothing was imported.") from error
        for line in report.lines():
            self.stdout.write(line)
