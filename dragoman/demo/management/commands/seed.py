"""Add synthetic entries in bulk, for benchmarks: `dragoman seed --entries 100000`."""

import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from dragoman.demo import seed


class Command(BaseCommand):
    help = (
        "Add N synthetic live entries across synthetic blogs, bloggers, tags and years "
        "(for benchmarks; never in production)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--entries", type=int, required=True, help="How many to add.")
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument("--years", type=int, default=10, help="Spread dates this far back.")
        parser.add_argument("--random-seed", type=int, default=None, help="Repeatable data.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")
        parser.add_argument(
            "--plain",
            action="store_true",
            help="Entries without pictures or comments (a database alone, as the backup tests want).",
        )

    def handle(
        self,
        *args: Any,
        entries: int,
        batch_size: int,
        years: int,
        random_seed: int | None,
        no_progress: bool,
        plain: bool = False,
        **options: Any,
    ) -> None:
        if settings.PRODUCTION:
            raise CommandError("Synthetic entries are never added in production.")
        if entries < 0 or batch_size < 1 or years < 1:
            raise CommandError("--entries must be 0 or more; --batch-size and --years 1 or more.")
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        with tqdm(total=entries, unit="entry", disable=no_progress, file=sys.stderr) as bar:
            comments = 0

            def progress(added: int, comments_added: int) -> None:
                nonlocal comments
                comments += comments_added
                bar.set_postfix(comments=comments, refresh=False)
                bar.update(added)

            report = seed.seed_entries(
                count=entries,
                batch_size=batch_size,
                years=years,
                random_seed=random_seed,
                progress=progress,
                pictures=not plain,
                comments_per_entry=0 if plain else seed.COMMENTS_PER_ENTRY,
            )
        rate = report.entries / report.seconds if report.seconds else 0.0
        self.stdout.write(
            f"Added {report.entries} entries over {report.blogs} blogs, {report.bloggers} "
            f"bloggers and {report.tags} tags, with {report.comments} comments and replies, in "
            f"{report.seconds:.1f} s ({rate:.0f} entries/s, "
            f"{report.comments / report.seconds if report.seconds else 0.0:.0f} comments/s)."
        )
