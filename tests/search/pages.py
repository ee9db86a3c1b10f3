"""Reading the search page the way a reader does: titles in order, highlighted words, facets."""

import re
from html import unescape
from typing import Any

from django.test import Client

TITLE = re.compile(r'<h3 class="entry-card__title"><a href="[^"]*">(.*?)</a></h3>', re.S)
MARK = re.compile(r"<mark>(.*?)</mark>", re.S)
FACET_LINK = re.compile(
    r'<a href="([^"]*)"[^>]*>([^<]*)</a> <span class="search-facet__count">\((\d+)\)</span>'
)


def text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html)).strip()


def search(client: Client, **params: Any) -> str:
    response = client.get("/search/", params)
    assert response.status_code == 200, response.content.decode()[:2000]
    return response.content.decode()


def result_titles(client: Client, **params: Any) -> list[str]:
    return [text(title) for title in TITLE.findall(search(client, **params))]


def facet_links(html: str) -> dict[str, tuple[str, int]]:
    """Facet option label -> (address, count)."""
    return {
        unescape(label): (unescape(url), int(count))
        for url, label, count in FACET_LINK.findall(html)
    }
