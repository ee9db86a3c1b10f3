"""`--fetch-media`: the files not in the media folder fetched from the old site, here a real
HTTP server on loopback; a file it cannot give is listed in the report, never fatal."""

from __future__ import annotations

import io
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image as PillowImage
from wagtail.images.models import Image

from dragoman.blogs.models import EntryPage
from dragoman.migration.wordpress import wordpress_import
from tests.migration.exports import WxrPost, wxr_text
from tests.ports import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_site(tmp_path):
    """The old site's files served over HTTP on a free loopback port; the paths asked for."""
    root = tmp_path / "site"
    folder = root / "wp-content" / "uploads" / "2021" / "03"
    folder.mkdir(parents=True)
    out = io.BytesIO()
    PillowImage.new("RGB", (60, 40), (10, 80, 140)).save(out, format="JPEG")
    (folder / "harbour.jpg").write_bytes(out.getvalue())
    asked: list[str] = []

    class Handler(SimpleHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            super().do_GET()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()


def export(tmp_path: Path, base: str) -> Path:
    body = (
        f'<img src="{base}/wp-content/uploads/2021/03/harbour-300x200.jpg" alt="The harbour">\n\n'
        "A paragraph between the pictures.\n\n"
        f'<img src="{base}/wp-content/uploads/2021/03/gone.jpg" alt="A picture since deleted">'
    )
    path = tmp_path / "export.xml"
    path.write_text(
        wxr_text([WxrPost(id=1, title="Pictures", content=body, slug="pictures")]), "utf-8"
    )
    return path


def test_fetch_media_downloads_the_original_and_reports_what_failed(tmp_path, old_site):
    base, asked = old_site

    report = wordpress_import(path=export(tmp_path, base), fetch_media=True)

    entry = EntryPage.objects.get(slug="pictures")
    images = [block.value for block in entry.body if block.block_type == "image"]
    # The original, not the resized copy the body shows.
    assert "/wp-content/uploads/2021/03/harbour.jpg" in asked
    assert len(images) == 1 and images[0]["alt_text"] == "The harbour"
    assert images[0]["image"].width == 60 and Image.objects.count() == 1
    missing = f"{base}/wp-content/uploads/2021/03/gone.jpg"
    assert report.imported == 1 and not report.failed
    assert "could not be fetched" in report.missing_media[missing]
    assert "404" in report.missing_media[missing]


def test_without_fetch_media_nothing_is_asked_of_the_old_site(tmp_path, old_site):
    base, asked = old_site

    report = wordpress_import(path=export(tmp_path, base))

    assert asked == [] and len(report.missing_media) == 2
    assert EntryPage.objects.get(slug="pictures").live


def test_an_old_site_that_does_not_answer_is_reported_not_fatal(tmp_path):
    path = export(tmp_path, f"http://127.0.0.1:{free_port()}")
    out = io.StringIO()

    call_command("import-wordpress", str(path), "--fetch-media", "--no-progress", stdout=out)

    assert "Entries: 1 imported" in out.getvalue()
    assert "could not be fetched" in out.getvalue()
    assert EntryPage.objects.get(slug="pictures").live
