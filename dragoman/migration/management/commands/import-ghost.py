"""`dragoman import-ghost FILE.json`: a Ghost export onto a blog of the network."""

from collections.abc import Callable

from dragoman.migration.ghost import ExportUnreadable, ghost_import
from dragoman.migration.report import Report

from ._base import ImportCommand


class Command(ImportCommand):
    help = (
        "Import a Ghost 5 or 6 export (Settings → Advanced → Export content): authors, "
        "entries, tags and feature images. Safe to run again: it updates, never duplicates."
    )
    file_help = "The export file (.json)."
    media_help = "A copy of the site's content/images folder."
    fetch_help = "Download the images not found in --media from the old site."
    unreadable = ExportUnreadable

    def importer(self) -> Callable[..., Report]:
        return ghost_import
