"""The search page and its feed. Thin: parse the form, ask queries.py, render."""

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from . import queries
from .feeds import SearchAtomFeed
from .forms import SearchForm

search_feed_view = SearchAtomFeed()


# Results change the moment an entry is published or unpublished: never serve a stored copy.
@require_safe
@cache_control(max_age=0, no_cache=True)
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    page = queries.search_page(form=form)
    # A filter that names nothing is the reader's mistake: say so, with a 400.
    status = 400 if form.errors else 200
    return render(request, "search/search.html", {"search": page, "form": form}, status=status)


@require_safe
@cache_control(max_age=0, no_cache=True)
def search_feed(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    if not form.is_valid():
        problems = "; ".join(str(error) for errors in form.errors.values() for error in errors)
        return HttpResponseBadRequest(
            _("This search cannot be followed: %(problems)s") % {"problems": problems},
            content_type="text/plain; charset=utf-8",
        )
    return search_feed_view(request)
