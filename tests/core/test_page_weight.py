import gzip
import re

import pytest
from django.test import Client

# What a slow link delivers in its first round trip (ten TCP segments), and a ceiling for the
# uncompressed bytes a phone must parse. Images are excluded: they load after the text.
MAX_BYTES = 60 * 1024
MAX_GZIP_BYTES = 14 * 1024
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')


def entry_page_with_its_css(demo_site) -> bytes:
    html = demo_site["entry"].html
    stylesheets = STYLESHEET.findall(html)
    assert stylesheets, "the entry page links its stylesheet"
    client = Client()
    css = []
    for href in stylesheets:
        response = client.get(href)
        assert response.status_code == 200, href
        css.append(b"".join(response.streaming_content) if response.streaming else response.content)
    return html.encode() + b"".join(css)


@pytest.mark.django_db
def test_entry_page_html_and_css_weigh_under_60_kb(demo_site):
    size = len(entry_page_with_its_css(demo_site))

    assert size < MAX_BYTES, f"{size} bytes"


@pytest.mark.django_db
def test_entry_page_html_and_css_weigh_under_14_kb_with_gzip(demo_site):
    # Each file compressed on its own, as a server sends them.
    html = demo_site["entry"].html.encode()
    css = entry_page_with_its_css(demo_site)[len(html) :]

    size = len(gzip.compress(html, compresslevel=9)) + len(gzip.compress(css, compresslevel=9))

    assert size < MAX_GZIP_BYTES, f"{size} bytes with gzip"
