"""Readers' plain text turned into safe HTML: paragraphs, line breaks and links.

The text is escaped first and links are added by Django's `urlize`; nh3 then keeps only
<p>, <br> and <a href> with http(s) addresses and sets rel="nofollow ugc noopener" on every
link, so nothing a reader types can become markup (0 stored XSS), whatever urlize misses.
"""

import re

import nh3
from django.utils.html import urlize
from django.utils.text import normalize_newlines

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
ALLOWED_TAGS = {"p", "br", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
LINK_REL = "nofollow ugc noopener"
# What the link cap counts: anything urlize would turn into a link, and bare domains.
URL_PATTERN = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|info|biz|ru|cn|xyz|top|io)\b",
    re.I,
)


def count_links(text: str) -> int:
    return len(URL_PATTERN.findall(text))


def comment_html(text: str) -> str:
    """The HTML shown for a comment's plain text."""
    paragraphs = [p.strip() for p in _PARAGRAPH_BREAK.split(normalize_newlines(text).strip())]
    parts = []
    for paragraph in paragraphs:
        if not paragraph:
            continue
        lines = [
            urlize(line, trim_url_limit=60, nofollow=True, autoescape=True)
            for line in paragraph.split("\n")
        ]
        parts.append("<p>" + "<br>".join(lines) + "</p>")
    html = nh3.clean(
        "".join(parts),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel=LINK_REL,
    )
    # Each paragraph finds its own direction: a reader may write one in Arabic, one in English.
    # Safe after cleaning: a "<p>" in the output can only be a tag nh3 kept, never typed text.
    return html.replace("<p>", '<p dir="auto">')
