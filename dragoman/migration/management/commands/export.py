"""`dragoman export`: a blog, or the whole network, as an archive and a WordPress export."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dragoman.blogs.models import BlogPage
from dragoman.migration.export import MembersOnly, archive_write


class Command(BaseCommand):
    help = (
        "Write a blog (--blog SLUG) or every blog into a folder: archive.json and media/ "
        "(docs/export-format.md, read back by import-archive) and wordpress.xml (WXR 1.2)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--blog", help="The blog's slug; without it, every blog.")
        parser.add_argument(
            "--output", type=Path, default=Path("export"), help="Folder to write (made)."
        )
        parser.add_argument(
            "--include-members-only",
            action="store_true",
            help="Also members-only blogs (communities'), kept restricted to their groups.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["output"]
        if folder.exists() and any(folder.iterdir()):
            raise CommandError(f"{folder} is not empty: choose a new folder.")
        try:
            exported = archive_write(
                folder=folder,
                blog_slug=options["blog"],
                members_only=options["include_members_only"],
            )
        except (BlogPage.DoesNotExist, MembersOnly) as error:
            raise CommandError(str(error)) from error
        for line in exported.lines():
            self.stdout.write(line)
