"""RSS 2.0 and Atom 1.0 feeds of the network, a blog, a blogger and a tag.

Every feed carries each entry's full content, its own stable id (the entry's permanent
address) and its publication and update dates.
"""

from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.translation import gettext as _

from . import queries
from .models import EntryPage


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
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Any:
        return None

    def title(self, obj: Any) -> str:
        return settings.SITE_NAME

    def description(self, obj: Any) -> str:
        return _("The newest entries from every blog of %(site)s.") % {"site": settings.SITE_NAME}

    def subtitle(self, obj: Any) -> str:
        return self.description(obj)

    def link(self, obj: Any) -> str:
        return "/"

    def entries(self, obj: Any) -> Any:
        return queries.live_entries().newest_first()

    def items(self, obj: Any) -> list[EntryPage]:
        return list(queries.with_card_data(self.entries(obj))[: settings.DRAGOMAN_FEED_SIZE])

    def item_title(self, item: EntryPage) -> str:
        return item.title

    def item_description(self, item: EntryPage) -> str:
        return item.summary

    def item_link(self, item: EntryPage) -> str:
        return item.get_url() or ""

    def item_guid(self, item: EntryPage) -> str:
        # The permanent address, which stays the entry's id even when its title changes.
        return self.request.build_absolute_uri(f"/entries/{item.pk}/")

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
        return {"content": content, "language": item.language}


class NetworkRssFeed(EntryFeed):
    pass


class NetworkAtomFeed(NetworkRssFeed):
    feed_type = FullContentAtomFeed


class BlogRssFeed(EntryFeed):
    def get_object(self, request: HttpRequest, **kwargs: Any) -> Any:
        return queries.live_blog(kwargs["blog"])

    def title(self, obj: Any) -> str:
        return f"{obj.title} – {settings.SITE_NAME}"

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
        return f"{obj.display_name} – {settings.SITE_NAME}"

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
            "site": settings.SITE_NAME,
        }

    def description(self, obj: Any) -> str:
        return self.title(obj)

    def link(self, obj: Any) -> str:
        return reverse("blogs:tag_detail", kwargs={"tag": obj.slug})

    def entries(self, obj: Any) -> Any:
        return queries.live_entries().tagged(obj.slug).newest_first()


class TagAtomFeed(TagRssFeed):
    feed_type = FullContentAtomFeed
