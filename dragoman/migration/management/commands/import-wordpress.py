"""`dragoman import-wordpress FILE.xml`: a WordPress export onto a blog of the network."""

from collections.abc import Callable

from dragoman.migration.report import Report
from dragoman.migration.wordpress import wordpress_import
from dragoman.migration.wxr import ExportUnreadable

from ._base import ImportCommand


class Command(ImportCommand):
    help = (
        "Import a WordPress export (Tools → Export, WXR 1.1 or 1.2): authors, entries, "
        "comments, images and old addresses. Safe to run again: it updates, never duplicates."
    )
    file_help = "The export file (.xml)."
    blog_help = (
        "Slug of the blog to import onto (made if missing); default: "
        "a new blog named after the site, the same one on every run."
    )
    media_help = "A copy of the site's wp-content/uploads folder."
    unreadable = ExportUnreadable

    def importer(self) -> Callable[..., Report]:
        return wordpress_import
