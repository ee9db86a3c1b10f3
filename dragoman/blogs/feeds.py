"""RSS 2.0 and Atom 1.0 feeds of the network, a blog, a blogger and a tag.

Every feed carries each entry's full content, its own stable id (the entry's permanent
address) and its publication and update dates.
"""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.contrib.syndication.views import Feed, add_domain
from django.http import HttpRequest
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.images.models import Filter
from wagtail.images.shortcuts import get_rendition_or_not_found
from wagtail.rich_text import expand_db_html

from dragoman.core.hosts import canonical_url, reader_url
from dragoman.core.markup import escaped
from dragoman.core.queries import network_name

from . import queries
from .models import EntryPage

# The attributes of the body's markup that hold addresses of this site.
_ADDRESS_ATTRIBUTE = re.compile(r'(\s(?:src|href|srcset)=")([^"]*)"')


def absolute_addresses(html: str) -> str:
    """Content with the site's own addresses made absolute: a feed reader has no base URL."""

    def absolute(address: str) -> str:
        if address.startswith("/") and not address.startswith("//"):
            # On the host the reader came by: a mirror's or the onion service's reader
            # cannot load images from the main host.
            return reader_url(address)
        return address

    def replace(match: re.Match[str]) -> str:
        start, value = match.groups()
        if "srcset" in start:  # "/a.png 400w, /b.png 800w"
            value = ", ".join(absolute(part.strip()) for part in value.split(","))
        else:
            value = absolute(value)
        return f'{start}{value}"'

    return _ADDRESS_ATTRIBUTE.sub(replace, html)


class WrittenAtOnce(SyndicationFeed):
    """A feed written to a string, then to the response in one piece: written to the
    response directly, each of a feed's thousand pieces of markup went through the
    response's own write and encoding."""

    def write(self, outfile: Any, encoding: str) -> None:
        if isinstance(outfile, io.TextIOBase):
            super().write(outfile, encoding)
            return
        written = io.StringIO()
        super().write(written, encoding)
        # As the XML writer encodes for a binary file.
        outfile.write(written.getvalue().encode(encoding, "xmlcharrefreplace"))


class FullContentRssFeed(WrittenAtOnce, Rss201rev2Feed):
    """RSS with the entry's full HTML in content:encoded, its summary in description."""

    def rss_attributes(self) -> dict[str, str]:
        attributes = super().rss_attributes()
        attributes["xmlns:content"] = "http://purl.org/rss/1.0/modules/content/"
        return attributes

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        handler.addQuickElement("content:encoded", item["content"])


class FullContentAtomFeed(WrittenAtOnce, Atom1Feed):
    """Atom with the entry's summary and its full HTML content."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content"], {"type": "html"})


@dataclass(frozen=True)
class FeedItem:
    """One item of a feed: an entry (`entry_items`), or a page other than an entry that the
    network's feeds carry (a question session's transcript), as its app's provider gives it
    (``network_feed_also``)."""

    title: str
    link: str
    guid: str
    summary: str
    content: str  # HTML, addresses made absolute by the feed
    language: str
    date: datetime
    updated: datetime
    authors: str = ""
    categories: tuple[str, ...] = ()


# The one rendition a feed gives each figure (blogs/blocks/figure.html, `in_feed`): a JPEG,
# which every feed reader shows. Built once: a Filter parses its spec when made.
FEED_IMAGE_FILTER = Filter(spec="format-jpeg|width-720")


def _img_tag(rendition: Any, attributes: dict[str, Any]) -> str:
    """Wagtail's `Rendition.img_tag` (what `{% image %}` writes): its attributes in Django's
    `flatatt` form and order, without the lazy wrappers around each escape."""
    attrs = {
        **rendition.attrs_dict,
        # What WAGTAILIMAGES_... settings add to every image tag (Wagtail's app config).
        **getattr(apps.get_app_config("wagtailimages"), "default_attrs", {}),
        **attributes,
    }
    pairs = sorted(
        (name, value)
        for name, value in attrs.items()
        if value is not None and not isinstance(value, bool)
    )
    flags = sorted(name for name, value in attrs.items() if value is True)
    written = "".join(f' {escaped(name)}="{escaped(value)}"' for name, value in pairs)
    return f"<img{written}{''.join(f' {escaped(name)}' for name in flags)}>"


def _figure_html(value: dict[str, Any], images: dict[int, Any]) -> str:
    """blogs/blocks/figure.html in a feed."""
    image = images.get(value.get("image"))  # type: ignore[arg-type]
    picture = ""
    if image is not None:
        rendition = get_rendition_or_not_found(image, FEED_IMAGE_FILTER)
        picture = _img_tag(rendition, {"alt": value.get("alt_text"), "class": "figure__image"})
    caption = value.get("caption")
    if caption:
        picture += f'<figcaption class="figure__caption">{escaped(caption)}</figcaption>'
    return f'<figure class="figure">{picture}</figure>'


def _heading_html(value: dict[str, Any]) -> str:
    """blogs/blocks/heading.html."""
    tag = "h3" if value.get("level") == "h3" else "h2"
    return f"<{tag}>{escaped(value.get('text', ''))}</{tag}>"


def _quote_html(value: dict[str, Any]) -> str:
    """blogs/blocks/quote.html."""
    text = linebreaksbr(value.get("quote", ""), autoescape=True)
    attribution = value.get("attribution")
    if attribution:
        attribution = f'<figcaption class="quote__attribution">{escaped(attribution)}</figcaption>'
    return (
        f'<figure class="quote"><blockquote class="quote__text"><p>{text}</p></blockquote>'
        f"{attribution or ''}</figure>"
    )


def _expanded(sources: list[str]) -> list[str]:
    """Rich texts from their stored form, as Wagtail shows them (`RichText`), all in one
    pass: the links to pages, documents and images of every body are fetched together, one
    query for each kind, where each paragraph fetched its own."""
    # NUL is in no stored rich text (PostgreSQL's text cannot hold it) and in no tag.
    expanded = expand_db_html("\0".join(sources)).split("\0")
    if len(expanded) != len(sources):  # a broken tag swallowed a separator: one at a time
        expanded = [expand_db_html(source) for source in sources]
    return expanded


def feed_contents(entries: list[queries.FeedEntry]) -> dict[int, str]:
    """Each entry's content in a feed (by id): its summary, then its body's blocks as their
    templates render them with `in_feed` (one JPEG per figure). The blocks every body has
    (headings, paragraphs, figures, quotes) are written here, their templates' markup, for
    all the bodies at once (`tests/blogs/test_feeds.py` holds each to its template); any
    other block renders through its template."""
    stream_block = EntryPage._meta.get_field("body").stream_block
    images = queries.feed_images(
        (
            block["value"]["image"]
            for entry in entries
            for block in entry.body
            if block["type"] == "image" and block["value"].get("image")
        ),
        FEED_IMAGE_FILTER.spec,
    )
    sources = [
        block["value"] or ""
        for entry in entries
        for block in entry.body
        if block["type"] == "paragraph"
    ]
    paragraphs = iter(_expanded(sources))
    contents: dict[int, str] = {}
    for entry in entries:
        parts = [f"<p>{escaped(entry.summary)}</p>"]
        for block in entry.body:
            kind, value = block["type"], block["value"]
            if kind == "paragraph":
                parts.append(next(paragraphs))
            elif kind == "heading":
                parts.append(_heading_html(value))
            elif kind == "image":
                parts.append(_figure_html(value, images))
            elif kind == "quote":
                parts.append(_quote_html(value))
            elif kind in stream_block.child_blocks:
                child = stream_block.child_blocks[kind]
                parts.append(child.render(child.to_python(value), context={"in_feed": True}))
        contents[entry.pk] = "".join(parts)
    return contents


def entry_items(entries: list[queries.FeedEntry]) -> list[FeedItem]:
    """The feed items of these entries, in their order."""
    contents = feed_contents(entries)
    return [
        FeedItem(
            title=entry.title,
            link=entry.url,
            # The permanent address, which stays the entry's id even when its title changes.
            # Built from the configured address, not the request's, and without a language
            # prefix, so that it is the same whoever fetches the feed, from wherever (from
            # any mirror too; on the onion service, the onion's: nothing there leads to the
            # clear web).
            guid=canonical_url(f"/entries/{entry.pk}/"),
            summary=entry.summary,
            content=contents[entry.pk],
            language=entry.language,
            date=entry.date,
            updated=max(entry.last_published_at or entry.date, entry.date),
            authors=", ".join(entry.authors),
            categories=tuple(entry.tags),
        )
        for entry in entries
    ]


class EntryFeed(Feed):
    """The newest entries of some part of the network.

    One feed object serves every request (and thread): nothing per request is stored on it.
    """

    feed_type: type[SyndicationFeed] = FullContentRssFeed

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Any:
        return None

    def title(self, obj: Any) -> str:
        return network_name()

    def description(self, obj: Any) -> str:
        return _("The newest entries from every blog of %(site)s.") % {"site": network_name()}

    def subtitle(self, obj: Any) -> str:
        return self.description(obj)

    def link(self, obj: Any) -> str:
        return "/"

    def entries(self, obj: Any) -> Any:
        return queries.live_entries().newest_first()

    def items(self, obj: Any) -> list[FeedItem]:
        entries = queries.feed_entries(self.entries(obj), limit=settings.DRAGOMAN_FEED_SIZE)
        return entry_items(entries)

    def get_feed(self, obj: Any, request: HttpRequest) -> SyndicationFeed:
        """Django's `Feed.get_feed` for what our feeds give: a channel's title, subtitle,
        description and link, and FeedItems, whose values are added as they are. Django's
        asks each of some fifteen attributes of every item through a check of the method's
        signature (200 Python calls an item, a fifth of a feed's after its bodies)."""
        domain = get_current_site(request).domain
        secure = request.is_secure()
        feed = self.feed_type(
            title=self.title(obj),
            subtitle=self.subtitle(obj),
            link=add_domain(domain, self.link(obj), secure),
            description=self.description(obj),
            language=self.language or get_language(),
            feed_url=add_domain(domain, request.path, secure),
        )
        for item in self.items(obj):
            feed.add_item(
                title=item.title,
                link=add_domain(domain, item.link, secure),
                description=item.summary,
                unique_id=item.guid,
                unique_id_is_permalink=True,
                pubdate=item.date,
                updateddate=item.updated,
                author_name=item.authors,
                categories=list(item.categories),
                content=absolute_addresses(item.content),
                language=item.language,
            )
        return feed

    # Django's `Feed` sets Last-Modified (its newest item's date) when these exist.
    def item_pubdate(self, item: FeedItem) -> datetime:
        return item.date

    def item_updateddate(self, item: FeedItem) -> datetime:
        return item.updated


# Who adds items to the network's feeds, registered in their AppConfig.ready: each returns
# at most that many of its newest items, chosen by its own rule of what the public may see.
FeedProvider = Callable[[int], list[FeedItem]]
_network_feed_providers: list[FeedProvider] = []


def network_feed_also(provider: FeedProvider) -> None:
    if provider not in _network_feed_providers:
        _network_feed_providers.append(provider)


class NetworkRssFeed(EntryFeed):
    """The network's newest entries, and the other pages apps add (newest first)."""

    def items(self, obj: Any) -> list[FeedItem]:
        size = settings.DRAGOMAN_FEED_SIZE
        entries = super().items(obj)
        others = [item for provider in _network_feed_providers for item in provider(size)]
        if not others:
            return entries
        return sorted([*entries, *others], key=lambda item: item.date, reverse=True)[:size]


class NetworkAtomFeed(NetworkRssFeed):
    feed_type = FullContentAtomFeed


class BlogRssFeed(EntryFeed):
    def get_object(self, request: HttpRequest, **kwargs: Any) -> Any:
        return queries.live_blog(kwargs["blog"])

    def title(self, obj: Any) -> str:
        return f"{obj.title} – {network_name()}"

    def description(self, obj: Any) -> str:
        return obj.description

    def link(self, obj: Any) -> str:
        return obj.get_url()

    def entries(self, obj: Any) -> Any:
        return queries.live_entries().for_blog(obj).newest_first()


class BlogAtomFeed(BlogRssFeed):
    feed_type = FullContentAtomFeed


class BloggerRssFeed(EntryFeed):
    def get_object(self, request: HttpRequest, **kwargs: Any) -> Any:
        return queries.live_blogger(kwargs["slug"])

    def title(self, obj: Any) -> str:
        return f"{obj.display_name} – {network_name()}"

    def description(self, obj: Any) -> str:
        return _("Entries by %(name)s, %(job)s.") % {"name": obj.display_name, "job": obj.job_title}

    def link(self, obj: Any) -> str:
        return obj.get_absolute_url()

    def entries(self, obj: Any) -> Any:
        return queries.live_entries().by_blogger(obj).newest_first()


class BloggerAtomFeed(BloggerRssFeed):
    feed_type = FullContentAtomFeed


class TagRssFeed(EntryFeed):
    def get_object(self, request: HttpRequest, **kwargs: Any) -> Any:
        return queries.get_tag(kwargs["tag"])

    def title(self, obj: Any) -> str:
        return _("Entries tagged “%(tag)s” – %(site)s") % {
            "tag": obj.name,
            "site": network_name(),
        }

    def description(self, obj: Any) -> str:
        return self.title(obj)

    def link(self, obj: Any) -> str:
        return reverse("blogs:tag_detail", kwargs={"tag": obj.slug})

    def entries(self, obj: Any) -> Any:
        return queries.live_entries().tagged(obj.slug).newest_first()


class TagAtomFeed(TagRssFeed):
    feed_type = FullContentAtomFeed


def content_language(code: str) -> str:
    """A language entries may be written in, else 404: /feed/xx/rss/ is not a feed."""
    from django.http import Http404

    if code not in {language for language, _name in settings.CONTENT_LANGUAGES}:
        raise Http404("No such language")
    return code


class LanguageRssFeed(EntryFeed):
    """The network's newest entries written in one language (/feed/ar/rss/)."""

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Any:
        return content_language(kwargs["language"])

    def get_feed(self, obj: Any, request: HttpRequest) -> SyndicationFeed:
        feed = super().get_feed(obj, request)
        # The feed declares the language its entries are written in, not the interface's.
        feed.feed["language"] = obj
        return feed

    def title(self, obj: Any) -> str:
        return f"{network_name()} ({obj})"

    def description(self, obj: Any) -> str:
        return _("The newest entries in %(language)s from every blog of %(site)s.") % {
            "language": dict(settings.CONTENT_LANGUAGES)[obj],
            "site": network_name(),
        }

    def entries(self, obj: Any) -> Any:
        return queries.live_entries().in_language(obj).newest_first()


class LanguageAtomFeed(LanguageRssFeed):
    feed_type = FullContentAtomFeed


class BlogLanguageRssFeed(BlogRssFeed):
    """A blog's newest entries written in one language (/blogs/<blog>/feed/ar/rss/)."""

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Any:
        language = content_language(kwargs["language"])
        blog = super().get_object(request, **kwargs)
        # The feed object is shared by every request, so the language travels on the blog.
        blog.feed_language = language
        return blog

    def get_feed(self, obj: Any, request: HttpRequest) -> SyndicationFeed:
        feed = super().get_feed(obj, request)
        feed.feed["language"] = obj.feed_language
        return feed

    def title(self, obj: Any) -> str:
        return f"{obj.title} ({obj.feed_language}) – {network_name()}"

    def entries(self, obj: Any) -> Any:
        return super().entries(obj).in_language(obj.feed_language)


class BlogLanguageAtomFeed(BlogLanguageRssFeed):
    feed_type = FullContentAtomFeed
