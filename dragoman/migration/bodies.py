"""An old site's HTML turned into an entry's blocks (``blogs.blocks.EntryBodyBlock``).

What the blocks can hold is kept: paragraphs with bold, italic, links and lists, headings,
quotes, images with their alt text and captions, videos. Everything else is reduced to its
text, and whatever could run in a reader's browser (scripts, styles, event handlers,
``javascript:`` links, frames that are not a known video player) is dropped. nh3 cleans
every paragraph last, so nothing outside the rich-text features can reach a page.

WordPress's own conventions are read too: paragraphs separated by blank lines (its
``wpautop``), the ``[caption]``, ``[embed]``, ``[gallery]``, ``[video]`` and ``[audio]``
shortcodes, and the block editor's comments, which are simply skipped. Unknown shortcodes
are removed (their inner text kept) and named in the report.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape, unescape
from typing import Any

import nh3
from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from django.core.exceptions import ValidationError

from dragoman.blogs.video import parse_video_url

PARAGRAPH_TAGS = {"p", "br", "b", "i", "a", "ul", "ol", "li", "blockquote"}
INLINE_RENAMES = {"strong": "b", "em": "i", "b": "b", "i": "i"}
DROPPED_TAGS = {"script", "style", "noscript", "template", "object", "embed", "form", "input"}
BLOCK_CONTAINERS = {
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "center",
    "body",
    "html",
    "figure",
    "span",
}
SAFE_SCHEMES = {"http", "https", "mailto"}
SHORTCODE = re.compile(r"\[(/?)([A-Za-z][\w-]*)((?:\s[^\]]*)?)(/?)\]")
ATTRIBUTE = re.compile(r'([\w-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|(\S+))')
KNOWN_SHORTCODES = {"caption", "wp_caption", "embed", "gallery", "video", "audio"}


@dataclass
class Conversion:
    """The blocks made of one body, and what the importer should tell about it."""

    blocks: list[tuple[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


def shortcode_attributes(text: str) -> dict[str, str]:
    return {
        m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or ""
        for m in ATTRIBUTE.finditer(text)
    }


def _expand_shortcodes(
    html: str, conversion: Conversion, gallery: Callable[[list[str]], list[dict[str, str]]]
) -> str:
    """Shortcodes become the HTML the rest of the conversion understands."""

    def caption(match: re.Match[str]) -> str:
        inner = match.group(2)
        soup = BeautifulSoup(inner, "html.parser")
        image = soup.find("img")
        if image is not None:
            image.extract()
        text = soup.get_text(" ", strip=True)
        attributes = shortcode_attributes(match.group(1))
        text = text or attributes.get("caption", "")
        return f"\n\n<figure>{image or ''}<figcaption>{escape(text)}</figcaption></figure>\n\n"

    html = re.sub(
        r"\[(?:wp_)?caption([^\]]*)\](.*?)\[/(?:wp_)?caption\]", caption, html, flags=re.S
    )

    def embed(match: re.Match[str]) -> str:
        url = unescape(match.group(1).strip())
        return f'\n\n<dragoman-embed data-url="{escape(url)}"></dragoman-embed>\n\n'

    html = re.sub(r"\[embed[^\]]*\](.*?)\[/embed\]", embed, html, flags=re.S)

    def media(match: re.Match[str]) -> str:
        attributes = shortcode_attributes(match.group(2))
        url = next(
            (
                attributes[key]
                for key in ("src", "mp4", "webm", "ogv", "m4v", "mp3", "ogg", "url")
                if attributes.get(key)
            ),
            "",
        )
        if match.group(1) == "audio":
            conversion.note("audio is not an entry block: kept as a link")
            return f'\n\n<p><a href="{escape(url)}">{escape(url)}</a></p>\n\n'
        return f'\n\n<dragoman-embed data-url="{escape(url)}"></dragoman-embed>\n\n'

    html = re.sub(r"\[(video|audio)([^\]]*)\](?:\s*\[/\1\])?", media, html)

    def gallery_shortcode(match: re.Match[str]) -> str:
        attributes = shortcode_attributes(match.group(1))
        ids = [i.strip() for i in attributes.get("ids", "").split(",") if i.strip()]
        pictures = gallery(ids)
        if len(pictures) < len(ids) or not ids:
            conversion.note(
                "a [gallery] named images the export does not hold: "
                + (", ".join(ids) if ids else "(no ids: the post's attached images)")
            )
        return "".join(
            f'\n\n<figure><img src="{escape(p["url"])}" alt="{escape(p.get("alt", ""))}">'
            f"<figcaption>{escape(p.get('caption', ''))}</figcaption></figure>\n\n"
            for p in pictures
        )

    html = re.sub(r"\[gallery([^\]]*)\]", gallery_shortcode, html)

    def unknown(match: re.Match[str]) -> str:
        closing, name, attributes, self_closing = match.groups()
        if name.lower() in KNOWN_SHORTCODES:
            return match.group(0)
        # "[sic]" or "[1]" in a text is not a shortcode: only names with attributes, a
        # closing tag or a self-closing slash are.
        if not (closing or attributes.strip() or self_closing or f"[/{name}]" in html):
            return match.group(0)
        conversion.note(f"unknown shortcode [{name}] removed, its text kept")
        return ""

    return SHORTCODE.sub(unknown, html)


def _autop(html: str) -> str:
    """WordPress stores paragraphs as blank lines (``wpautop`` adds the <p> on display)."""
    parts = re.split(r"\n\s*\n", html.replace("\r\n", "\n"))
    return "\n".join(
        f"<p>{part}</p>" if part.strip() and not part.lstrip().startswith("<") else part
        for part in parts
    )


def _safe_href(href: str) -> str | None:
    href = href.strip()
    scheme = href.split(":", 1)[0].lower() if ":" in href.split("/", 1)[0] else ""
    if scheme and scheme not in SAFE_SCHEMES:
        return None
    return href


class _Converter:
    def __init__(
        self,
        conversion: Conversion,
    ) -> None:
        self.conversion = conversion
        self.inline: list[str] = []

    # Paragraphs ----------------------------------------------------------------------------
    def flush(self) -> None:
        html = "".join(self.inline).strip()
        self.inline = []
        # Line breaks inside a paragraph are kept as <br>, as WordPress shows them.
        html = re.sub(r"\s*\n\s*", "<br/>", html) if "\n" in html else html
        html = re.sub(r"^(<br/>)+|(<br/>)+$", "", html)
        if html and BeautifulSoup(html, "html.parser").get_text(strip=True):
            self.paragraph(f"<p>{html}</p>")

    def paragraph(self, html: str) -> None:
        cleaned = nh3.clean(
            html,
            tags=PARAGRAPH_TAGS | {"p"},
            attributes={"a": {"href"}},
            url_schemes=SAFE_SCHEMES,
            link_rel=None,
        )
        if cleaned.strip():
            self.conversion.blocks.append(("paragraph", cleaned))

    def inline_html(self, node: Any) -> str:
        """A node as the inline HTML a paragraph keeps (bold, italic, links, breaks)."""
        if isinstance(node, Comment):
            return ""
        if isinstance(node, NavigableString):
            return escape(str(node), quote=False)
        if not isinstance(node, Tag):
            return ""
        name = node.name.lower()
        if name in DROPPED_TAGS or name == "iframe":
            self.conversion.note(f"unsafe or unsupported markup removed (<{name}>)")
            return ""
        if any(attribute.lower().startswith("on") for attribute in node.attrs):
            self.conversion.note("unsafe markup removed (event handler attributes)")
        inner = "".join(self.inline_html(child) for child in node.children)
        if name == "br":
            return "<br/>"
        if name in INLINE_RENAMES:
            tag = INLINE_RENAMES[name]
            return f"<{tag}>{inner}</{tag}>" if inner.strip() else inner
        if name == "a":
            href = _safe_href(str(node.get("href", "")))
            if href is None:
                self.conversion.note("unsafe link removed (javascript: or data: address)")
                return inner
            if not href:
                return inner
            return f'<a href="{escape(href)}">{inner}</a>'
        return inner

    # Blocks --------------------------------------------------------------------------------
    def image(self, node: Tag, caption: str = "") -> None:
        src = str(node.get("src", "")).strip()
        if not src:
            return
        self.conversion.blocks.append(
            (
                "image",
                {
                    "src": src,
                    "alt": str(node.get("alt", "")).strip(),
                    "caption": caption,
                    "attachment_id": _attachment_id(node),
                },
            )
        )

    def video(self, url: str, title: str = "") -> None:
        url = url.strip()
        try:
            video = parse_video_url(url)
        except ValidationError:
            self.conversion.note(f"embedded media that is not a known video kept as a link: {url}")
            self.flush()
            if _safe_href(url):
                self.paragraph(f'<p><a href="{escape(url)}">{escape(url)}</a></p>')
            return
        self.conversion.blocks.append(
            ("video", {"url": video.url, "title": title or video.provider_name or "Video"})
        )

    def block(self, node: Any) -> None:
        if isinstance(node, Comment):
            return
        if isinstance(node, NavigableString):
            self.inline.append(escape(str(node), quote=False))
            return
        if not isinstance(node, Tag):
            return
        name = node.name.lower()
        if name in DROPPED_TAGS:
            self.conversion.note(f"unsafe or unsupported markup removed (<{name}>)")
            return
        if name in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.flush()
            text = node.get_text(" ", strip=True)
            if text:
                level = "h2" if name in {"h1", "h2"} else "h3"
                self.conversion.blocks.append(("heading", {"text": text[:200], "level": level}))
            return
        if name in {"p", "pre", "address"}:
            self.flush()
            self.paragraph_with_media(node)
            return
        if name in {"ul", "ol"}:
            self.flush()
            items = [
                f"<li>{''.join(self.inline_html(c) for c in li.children)}</li>"
                for li in node.find_all("li", recursive=False)
            ]
            self.paragraph(f"<{name}>{''.join(items)}</{name}>")
            for image in node.find_all("img"):
                self.image(image)
            return
        if name == "blockquote":
            self.flush()
            cite = node.find(["cite", "footer"])
            attribution = cite.extract().get_text(" ", strip=True) if cite else ""
            text = "\n\n".join(
                part.get_text(" ", strip=True) for part in node.find_all("p")
            ) or node.get_text(" ", strip=True)
            if text:
                self.conversion.blocks.append(
                    ("quote", {"quote": text, "attribution": attribution.lstrip("—– -")[:200]})
                )
            return
        if name == "figure" and node.find("img") is not None and not node.find("iframe"):
            self.flush()
            caption_node = node.find("figcaption")
            caption = caption_node.get_text(" ", strip=True) if caption_node else ""
            images = node.find_all("img")
            for image in images:
                self.image(image, caption=caption if len(images) == 1 else "")
            if len(images) > 1 and caption:
                self.paragraph(f"<p><i>{escape(caption)}</i></p>")
            return
        if name == "img":
            self.flush()
            self.image(node)
            return
        if name == "iframe":
            self.flush()
            self.video(str(node.get("src", "")), str(node.get("title", "")))
            return
        if name == "video":
            self.flush()
            source = node.get("src") or next(
                (s.get("src") for s in node.find_all("source") if s.get("src")), ""
            )
            self.video(str(source or ""))
            return
        if name == "dragoman-embed":
            self.flush()
            self.video(str(node.get("data-url", "")))
            return
        if name == "table":
            self.flush()
            self.conversion.note("a table was reduced to its rows of text")
            for row in node.find_all("tr"):
                cells = [cell.get_text(" ", strip=True) for cell in row.find_all(["td", "th"])]
                if any(cells):
                    self.paragraph(f"<p>{escape(' | '.join(cells))}</p>")
            return
        if name == "hr":
            self.flush()
            return
        if name in BLOCK_CONTAINERS:
            if name == "figure" or "wp-block-embed" in " ".join(node.get("class") or []):
                url = _embed_url(node)
                if url:
                    self.flush()
                    self.video(url)
                    return
            for child in list(node.children):
                self.block(child)
            return
        # Inline elements at the top level join the current paragraph.
        self.inline.append(self.inline_html(node))
        for image in node.find_all("img"):
            self.flush()
            self.image(image)

    def paragraph_with_media(self, node: Tag) -> None:
        """A paragraph; images and players inside it become blocks after its text."""
        media = node.find_all(["img", "iframe", "video", "dragoman-embed"])
        for element in media:
            element.extract()
        self.inline.append("".join(self.inline_html(child) for child in node.children))
        self.flush()
        for element in media:
            self.block(element)


def _attachment_id(node: Tag) -> str:
    for cls in node.get("class") or []:
        if cls.startswith("wp-image-"):
            return cls.removeprefix("wp-image-")
    return ""


def _embed_url(node: Tag) -> str:
    iframe = node.find("iframe")
    if iframe is not None and iframe.get("src"):
        return str(iframe["src"])
    wrapper = node.find(class_="wp-block-embed__wrapper")
    if wrapper is not None:
        return wrapper.get_text(strip=True)
    return ""


def html_to_blocks(
    html: str,
    *,
    gallery: Callable[[list[str]], list[dict[str, str]]] = lambda ids: [],
    autop: bool = True,
) -> Conversion:
    """Blocks for an HTML body. Images are left as ``("image", {"src", "alt", "caption",
    "attachment_id"})`` for the importer to find the files of."""
    conversion = Conversion()
    html = _expand_shortcodes(html or "", conversion, gallery)
    if autop:
        html = _autop(html)
    soup = BeautifulSoup(html, "html.parser")
    converter = _Converter(conversion)
    for node in list(soup.children):
        converter.block(node)
    converter.flush()
    return conversion


def text_of(html: str) -> str:
    """The plain text of some HTML (summaries, comments)."""
    return BeautifulSoup(html or "", "html.parser").get_text(" ", strip=True)


def comment_text(html: str) -> str:
    """A comment's HTML as the plain text a Dragoman comment holds (links as addresses)."""
    soup = BeautifulSoup((html or "").replace("\r\n", "\n"), "html.parser")
    for element in soup.find_all(DROPPED_TAGS):
        element.decompose()
    for link in soup.find_all("a"):
        href = _safe_href(str(link.get("href", "")))
        text = link.get_text()
        link.replace_with(text if not href or href in text else f"{text} ({href})")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for paragraph in soup.find_all("p"):
        paragraph.insert_before("\n\n")
        paragraph.insert_after("\n\n")
        paragraph.unwrap()
    text = re.sub(r"\n\s*\n\s*", "\n\n", soup.get_text())
    return text.strip()
