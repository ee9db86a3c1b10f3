from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from dragoman.search import services
from dragoman.search.engines import get_engine


class Command(BaseCommand):
    help = "Rebuild the search index from every live entry (run after a bulk import or seed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=services.REBUILD_BATCH_SIZE,
            help="Entries written per transaction.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, batch_size: int, no_progress: bool, **options: Any) -> None:
        engine = get_engine()
        with tqdm(
            total=services.indexable_count(),
            unit=" entries",
            disable=no_progress,
            file=cast(TextIO, self.stderr._out),  # the bar redraws one line: no added newlines
        ) as bar:
            count = services.index_rebuild(batch_size=max(1, batch_size), progress=bar.update)
        self.stdout.write(f"{count} entries indexed ({engine.name}).")
