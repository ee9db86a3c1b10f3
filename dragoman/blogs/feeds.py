"""RSS 2.0 and Atom 1.0 feeds of the network, a blog, a blogger and a tag.

Every feed carries each entry's full content, its own stable id (the entry's permanent
address) and its publication and update dates.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.translation import gettext as _

from dragoman.core.hosts import canonical_url, reader_url
from dragoman.core.queries import network_name

from . import blocks, queries
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


class FullContentRssFeed(Rss201rev2Feed):
    """RSS with the entry's full HTML in content:encoded, its summary in description."""

    def rss_attributes(self) -> dict[str, str]:
        attributes = super().rss_attributes()
        attributes["xmlns:content"] = "http://purl.org/rss/1.0/modules/content/"
        return attributes

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        handler.addQuickElement("content:encoded", item["content"])


class FullContentAtomFeed(Atom1Feed):
    """Atom with the entry's summary and its full HTML content."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content"], {"type": "html"})


class EntryFeed(Feed):
    """The newest entries of some part of the network."""

    feed_type: type[SyndicationFeed] = FullContentRssFeed

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        # One feed object serves every request (and thread): nothing per request is stored
        # on it. The images of all items' bodies are fetched once, in `items`.
        with blocks.images_in_hand():
            return super().__call__(request, *args, **kwargs)

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

    def items(self, obj: Any) -> list[EntryPage]:
        entries = list(queries.with_card_data(self.entries(obj))[: settings.DRAGOMAN_FEED_SIZE])
        blocks.images_hold(queries.body_images(entries))
        return entries

    def item_title(self, item: EntryPage) -> str:
        return item.title

    def item_description(self, item: EntryPage) -> str:
        return item.summary

    def item_link(self, item: EntryPage) -> str:
        return item.get_url() or ""

    def item_guid(self, item: EntryPage) -> str:
        # The permanent address, which stays the entry's id even when its title changes.
        # Built from the configured address, not the request's, and without a language
        # prefix, so that it is the same whoever fetches the feed, from wherever (from any
        # mirror too; on the onion service, the onion's: nothing there leads to the clear web).
        return canonical_url(f"/entries/{item.pk}/")

    def item_guid_is_permalink(self, item: EntryPage) -> bool:
        return True

    def item_pubdate(self, item: EntryPage) -> Any:
        return item.date

    def item_updateddate(self, item: EntryPage) -> Any:
        return max(item.last_published_at or item.date, item.date)

    def item_author_name(self, item: EntryPage) -> str:
        return ", ".join(credit.blogger.display_name for credit in item.entry_authors.all())

    def item_categories(self, item: EntryPage) -> list[str]:
        return [tagged.tag.name for tagged in item.tagged_items.all()]

    def item_extra_kwargs(self, item: EntryPage) -> dict[str, Any]:
        content = render_to_string("blogs/feed_content.html", {"entry": item})
        return {"content": absolute_addresses(content), "language": item.language}


@dataclass(frozen=True)
class FeedItem:
    """A page other than an entry that the network's feeds carry (a question session's
    transcript), as its app's provider gives it (``network_feed_also``)."""

    title: str
    link: str
    guid: str
    summary: str
    content: str  # HTML, addresses made absolute by the feed
    language: str
    date: datetime
    updated: datetime
    authors: str = ""


# Who adds items to the network's feeds, registered in their AppConfig.ready: each returns
# at most that many of its newest items, chosen by its own rule of what the public may see.
FeedProvider = Callable[[int], list[FeedItem]]
_network_feed_providers: list[FeedProvider] = []


def network_feed_also(provider: FeedProvider) -> None:
    if provider not in _network_feed_providers:
        _network_feed_providers.append(provider)


class NetworkRssFeed(EntryFeed):
    """The network's newest entries, and the other pages apps add (newest first)."""

    def items(self, obj: Any) -> list[Any]:
        size = settings.DRAGOMAN_FEED_SIZE
        entries: list[Any] = super().items(obj)
        others = [item for provider in _network_feed_providers for item in provider(size)]
        if not others:
            return entries
        return sorted([*entries, *others], key=self.item_pubdate, reverse=True)[:size]

    def item_title(self, item: Any) -> str:
        return item.title

    def item_description(self, item: Any) -> str:
        return str(item.summary)

    def item_link(self, item: Any) -> str:
        return item.link if isinstance(item, FeedItem) else super().item_link(item)

    def item_guid(self, item: Any) -> str:
        return item.guid if isinstance(item, FeedItem) else super().item_guid(item)

    def item_pubdate(self, item: Any) -> Any:
        return item.date

    def item_updateddate(self, item: Any) -> Any:
        return item.updated if isinstance(item, FeedItem) else super().item_updateddate(item)

    def item_author_name(self, item: Any) -> str:
        return item.authors if isinstance(item, FeedItem) else super().item_author_name(item)

    def item_categories(self, item: Any) -> list[str]:
        return [] if isinstance(item, FeedItem) else super().item_categories(item)

    def item_extra_kwargs(self, item: Any) -> dict[str, Any]:
        if isinstance(item, FeedItem):
            return {"content": absolute_addresses(item.content), "language": item.language}
        return super().item_extra_kwargs(item)


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
