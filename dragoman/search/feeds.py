"""An Atom feed of any search: "tell me when the embassy in X writes about Y"."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dragoman.blogs.feeds import EntryFeed, FeedItem, FullContentAtomFeed, entry_items
from dragoman.core.queries import network_name

from . import queries
from .forms import SearchForm


class SearchAtomFeed(EntryFeed):
    """The newest entries a search finds; the view has checked the form is valid."""

    feed_type = FullContentAtomFeed

    def get_object(self, request: HttpRequest, **kwargs: Any) -> SearchForm:
        form = SearchForm(request.GET)
        form.full_clean()
        return form

    def title(self, obj: SearchForm) -> str:
        query = obj.cleaned_data.get("q")
        if query:
            return _("Search for “%(query)s” – %(site)s") % {
                "query": query,
                "site": network_name(),
            }
        return _("Search – %(site)s") % {"site": network_name()}

    def description(self, obj: SearchForm) -> str:
        return self.title(obj)

    def link(self, obj: SearchForm) -> str:
        return queries.address(queries.search_parameters(obj))

    def items(self, obj: SearchForm) -> list[FeedItem]:
        return entry_items(queries.feed_entries(form=obj, limit=settings.DRAGOMAN_FEED_SIZE))
