"""Text-only pages: every public page again under ``/text/``, for slow and costly connections.

Like text.npr.org or lite.cnn.com: the page's text, its links and its images' descriptions;
no image, no stylesheet to fetch, no script, a few lines of CSS in the page itself. The
version lives at its own address (``/text/blogs/…``, ``/text/ar/…``), so the page cache and
any CDN keep it apart from the full page without a rule of their own, and every link of a
text-only page leads to another text-only page: the middleware sets Django's script prefix,
which ``reverse`` (and so Wagtail's page addresses) put before every path it builds.

The full page is rendered as usual, then thinned here (``text_only_html``), so that a page
added by any app has its text-only version the day it is added.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from contextvars import ContextVar
from html import escape
from html.parser import HTMLParser

from django.http import HttpRequest, HttpResponseBase
from django.urls import get_script_prefix, set_script_prefix
from django.utils import translation
from django.utils.translation import gettext

TEXT_PREFIX = "/text"
# Not pages: staff pages, files and uploads have no text-only version (they answer 404).
NOT_PAGES = ("/admin/", "/django-admin/", "/static/", "/media/", "/documents/", "/healthz")

# A few lines, in the page: no second request on a connection where each costs seconds.
STYLE = (
    "body{max-width:40rem;margin:auto;padding:0 1rem;font:1.1rem/1.5 sans-serif}"
    "img,picture,video,iframe{display:none}ul.site-nav__list{padding:0}"
    ".site-nav__list li{display:inline;margin-inline-end:1rem}"
    ".text-image{font-style:italic}"
)
STYLE_HASH = "sha256-" + base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'none'",
        f"style-src '{STYLE_HASH}'",
        "script-src 'none'",
        "media-src 'none'",
        "frame-src 'none'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

_text_only: ContextVar[bool] = ContextVar("dragoman_text_only", default=False)

# Dropped with everything inside them: what a text-only reader cannot use or need not load.
DROPPED = frozenset({"script", "style", "noscript", "svg", "video", "audio", "iframe", "aside"})
# Dropped, their content kept (a picture's <img> becomes its description).
UNWRAPPED = frozenset({"picture"})
# Dropped, being empty: image sources, stylesheets, icons and preloads.
VOID_DROPPED = frozenset({"source", "track"})
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | VOID_DROPPED
    | {"wbr"}
)
DROPPED_LINKS = frozenset({"stylesheet", "icon", "preload", "modulepreload", "manifest"})


def is_text_only() -> bool:
    """Whether the page being rendered is a text-only version."""
    return _text_only.get()


def text_path(path: str) -> str:
    """The text-only version's path of a full page's path."""
    return TEXT_PREFIX + path


def full_path(path: str) -> str:
    """The full page's path of a text-only version's path (other paths are left alone)."""
    if path.startswith(TEXT_PREFIX + "/"):
        return path[len(TEXT_PREFIX) :]
    return path


def has_text_version(path: str) -> bool:
    return not path.startswith(NOT_PAGES) and not path.startswith(TEXT_PREFIX + "/")


class _Thinner(HTMLParser):
    """Copy HTML, leaving out images, media, scripts and styles; images become their alt."""

    def __init__(self, image_label: str) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.skipping: list[str] = []  # open elements being dropped whole
        self.image_label = image_label

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            if tag == self.skipping[-1] and tag not in VOID:
                self.skipping.append(tag)
            return
        if tag in DROPPED:
            self.skipping.append(tag)
            return
        if tag in UNWRAPPED or tag in VOID_DROPPED:
            return
        values = dict(attrs)
        if tag == "img":
            alt = (values.get("alt") or "").strip()
            if alt:  # an empty alt marks a decorative image: nothing to say
                label = escape(self.image_label % {"description": alt})
                self.out.append(f'<span class="text-image">[{label}]</span>')
            return
        if tag == "link" and DROPPED_LINKS & set((values.get("rel") or "").lower().split()):
            return
        self.out.append(self.get_starttag_text() or "")
        if tag == "head":
            self.out.append(f"<style>{STYLE}</style>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag in UNWRAPPED or tag in VOID:
            return
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        if not self.skipping:
            self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        if not self.skipping:
            self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        pass

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")


def text_only_html(html: str) -> str:
    """The page's HTML without images, media, scripts, stylesheets and asides; every image
    with a description is replaced by it, in the active language's words."""
    thinner = _Thinner(gettext("Image: %(description)s"))
    thinner.feed(html)
    thinner.close()
    # Whitespace between elements costs bytes on every page and shows nothing.
    return "\n".join(line.strip() for line in "".join(thinner.out).splitlines() if line.strip())


class TextOnlyMiddleware:
    """Serve ``/text/<address>`` as the text-only version of ``<address>``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        path = request.path_info
        if not path.startswith(TEXT_PREFIX + "/") or not has_text_version(path[len(TEXT_PREFIX) :]):
            return self.get_response(request)
        request.path_info = path[len(TEXT_PREFIX) :]
        prefix = get_script_prefix()
        # Every address reversed while rendering (links, Wagtail's page URLs) gets /text/.
        set_script_prefix(prefix + TEXT_PREFIX.lstrip("/") + "/")
        token = _text_only.set(True)
        try:
            response = self.get_response(request)
        finally:
            set_script_prefix(prefix)
            _text_only.reset(token)
        content_type = response.headers.get("Content-Type", "")
        if content_type.startswith("text/html") and not response.streaming:
            language = response.headers.get("Content-Language") or translation.get_language()
            with translation.override(language):
                html = response.content.decode(response.charset)  # type: ignore[attr-defined]
                response.content = text_only_html(html).encode(  # type: ignore[attr-defined]
                    response.charset
                )
            if "Content-Length" in response.headers:
                response.headers["Content-Length"] = str(len(response.content))  # type: ignore[attr-defined]
            response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        return response
