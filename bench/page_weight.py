"""Bytes a reader downloads for each demo page, HTML plus CSS, images excluded.

`.venv/bin/python -m bench.page_weight` builds the demo network in a throwaway data folder and
prints, per page, the HTML and CSS sizes raw, gzipped (level 9) and against the budget an entry
page must meet (60 KB raw, 14 KB gzip: what a slow link delivers in its first round trip).
tests/core/test_page_weight.py asserts the entry page's budget; this prints the figures.
"""

from __future__ import annotations

import gzip
import os
import re
import sys
import tempfile

STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')


def main() -> None:
    data_dir = tempfile.mkdtemp(prefix="dragoman-weight-")
    os.makedirs(os.path.join(data_dir, "static"))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "dragoman.settings",
            "DRAGOMAN_DATA_DIR": data_dir,
            "DATABASE_URL": f"sqlite:///{data_dir}/weight.sqlite3",
            "CACHE_URL": "locmemcache://",
            "DRAGOMAN_PAGE_CACHE": "false",
            "DRAGOMAN_ALLOWED_HOSTS": "testserver",
            "DRAGOMAN_LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from tests.core.demo_pages import demo_pages_build

    call_command("migrate", interactive=False, verbosity=0)
    pages = demo_pages_build()
    client = Client()

    def body(path: str) -> bytes:
        response = client.get(path)
        if response.streaming:
            return b"".join(response.streaming_content)  # type: ignore[arg-type]
        return response.content

    print("| page | HTML | CSS | total | HTML gzip | CSS gzip | total gzip |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, path in pages.items():
        html = body(path)
        css = b"".join(body(href) for href in STYLESHEET.findall(html.decode()))
        html_gz, css_gz = len(gzip.compress(html, 9)), len(gzip.compress(css, 9))
        print(
            f"| {name} | {len(html):,} | {len(css):,} | {len(html) + len(css):,} "
            f"| {html_gz:,} | {css_gz:,} | {html_gz + css_gz:,} |"
        )
    print("\nBudget for an entry page: total under 61,440 bytes, total gzip under 14,336 bytes.")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
