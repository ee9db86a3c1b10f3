"""Print the nginx locations that serve cached pages from DRAGOMAN_PAGE_FILES_DIR."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dragoman.publishing.pagefiles import nginx_locations


class Command(BaseCommand):
    help = (
        "Print the nginx locations that serve cached pages as files (DRAGOMAN_PAGE_FILES_DIR) "
        "and pass everything else to a named location proxying to the app; include them in "
        "the server block (deploy/nginx/dragoman-page-files.conf)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--app", default="@dragoman", help="The named location that proxies to the app."
        )
        parser.add_argument(
            "--brotli",
            action="store_true",
            help="Serve the .br copies too (nginx built with the brotli module).",
        )

        parser.add_argument(
            "--http",
            action="store_true",
            help="For a plain http server (the onion service): no Strict-Transport-Security.",
        )

    def handle(self, *args: Any, app: str, brotli: bool, http: bool, **options: Any) -> None:
        if not settings.DRAGOMAN_PAGE_FILES_DIR:
            raise CommandError("Set DRAGOMAN_PAGE_FILES_DIR (the folder nginx serves) first.")
        self.stdout.write(
            nginx_locations(
                root=settings.DRAGOMAN_PAGE_FILES_DIR, app=app, brotli=brotli, secure=not http
            ),
            ending="",
        )
