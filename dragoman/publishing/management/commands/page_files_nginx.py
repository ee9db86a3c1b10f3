"""Print the nginx locations that serve cached pages from DRAGOMAN_PAGE_FILES_DIR, or (--maps)
the maps they need in nginx's http block."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dragoman.publishing.pagefiles import nginx_locations, nginx_maps


class Command(BaseCommand):
    help = (
        "Print the nginx locations that serve cached pages as files (DRAGOMAN_PAGE_FILES_DIR) "
        "and pass everything else to a named location proxying to the app; include them in "
        "the server block (deploy/nginx/dragoman-page-files.conf); --maps: the maps they need, "
        "for nginx's http block."
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
        parser.add_argument(
            "--maps",
            action="store_true",
            help="Print the maps the locations need instead, for nginx's http block (once).",
        )

    def handle(
        self, *args: Any, app: str, brotli: bool, http: bool, maps: bool, **options: Any
    ) -> None:
        if maps:
            self.stdout.write(nginx_maps(), ending="")
            return
        if not settings.DRAGOMAN_PAGE_FILES_DIR:
            raise CommandError("Set DRAGOMAN_PAGE_FILES_DIR (the folder nginx serves) first.")
        self.stdout.write(
            nginx_locations(
                root=settings.DRAGOMAN_PAGE_FILES_DIR, app=app, brotli=brotli, secure=not http
            ),
            ending="",
        )
