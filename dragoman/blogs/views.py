"""Public pages outside the page tree: tags, archives, bloggers. Thin: parse, query, render."""

import functools
from datetime import date

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from dragoman.missions.queries import get_mission

from . import counts, queries, sharing
from .models import EntryPage


def tag_index(request: HttpRequest) -> HttpResponse:
    return render(request, "blogs/tag_index.html", {"tag_cloud": queries.tag_cloud(limit=500)})


def tag_detail(request: HttpRequest, tag: str, blog: str | None = None) -> HttpResponse:
    the_tag = queries.get_tag(tag)
    the_blog = queries.live_blog(blog) if blog else None
    keys = (
        queries.entry_keys(queries.tagged_entries(tag=the_tag, blog=the_blog))
        if the_blog
        else queries.tagged_keys(tag=the_tag)
    )
    count = queries.tag_entry_count(tag=the_tag, blog=the_blog)
    page = queries.paginate_entries(keys, request.GET.get("page"), count=count)
    if not page.object_list and page.number == 1:
        raise Http404("No entry has this tag")
    return render(
        request, "blogs/tag_detail.html", {"tag": the_tag, "blog": the_blog, "entries": page}
    )


def archive_index(request: HttpRequest, blog: str | None = None) -> HttpResponse:
    the_blog = queries.live_blog(blog) if blog else None
    return render(
        request,
        "blogs/archive_index.html",
        {"blog": the_blog, "archive_years": queries.archive_years(blog=the_blog)},
    )


def archive_period(
    request: HttpRequest, year: str, month: str | None = None, blog: str | None = None
) -> HttpResponse:
    """The entries of one month or one year, of one blog or of the whole network."""
    the_blog = queries.live_blog(blog) if blog else None
    try:
        first_day = date(int(year), int(month or 1), 1)
    except ValueError as error:
        raise Http404("No such month") from error
    months = queries.archive_months(blog=the_blog)
    if month:
        count = sum(m.count for m in months if m.month == first_day)
    else:
        count = sum(m.count for m in months if m.month.year == first_day.year)
    if not count:  # also every period the calendar cannot hold, such as December 9999
        raise Http404("No entries in this period")
    start, end = counts.month_bounds(first_day) if month else counts.year_bounds(first_day.year)
    keys = queries.entry_keys(queries.period_entries(start=start, end=end, blog=the_blog))
    return render(
        request,
        "blogs/archive_period.html",
        {
            "blog": the_blog,
            "year": first_day,
            "month": first_day if month else None,
            "entries": queries.paginate_entries(keys, request.GET.get("page"), count=count),
        },
    )


def blogger_list(request: HttpRequest) -> HttpResponse:
    return render(request, "blogs/blogger_list.html", {"countries": queries.bloggers_by_location})


def blogger_detail(request: HttpRequest, slug: str) -> HttpResponse:
    blogger = queries.live_blogger(slug)
    return render(
        request,
        "blogs/blogger_detail.html",
        {
            "blogger": blogger,
            # Called by the template only when its remembered header is stale.
            "blogs": functools.partial(queries.blogs_of_blogger, blogger),
            "entries": queries.paginate_entries(
                queries.credited_keys(blogger=blogger),
                request.GET.get("page"),
                count=queries.blogger_entry_count(blogger=blogger),
            ),
        },
    )


def entry_permalink(request: HttpRequest, pk: int) -> HttpResponse:
    """The address feeds use as an entry's id: it survives a new title or a move."""
    entry = queries.live_entries().filter(pk=pk).first()
    if entry is None:
        raise Http404("No such entry")
    return redirect(entry.get_url(request=request), permanent=True)


class ShareRedirect(HttpResponseRedirect):
    allowed_schemes = ["https", "mailto"]


@require_safe
def share(request: HttpRequest, network: str, entry: int) -> HttpResponse:
    """Send the reader on to a network's share page for an entry, with nothing added; tell
    those who count clicks (sharing.share_tell)."""
    user = request.user if request.user.is_authenticated else None
    found = EntryPage.objects.visible(user).filter(pk=entry).first()
    if found is None:
        raise Http404("No such entry")
    target = sharing.share_target(network=network, url=found.full_url or "", title=found.title)
    if target is None:
        raise Http404("No such network to share with")
    sharing.share_tell(
        entry_id=found.pk,
        network=network,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        method=request.method or "",
    )
    response = ShareRedirect(target)
    # Each click reaches us (never a stored redirect), and the network learns nothing of the
    # page the reader came from.
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


def mission_detail(request: HttpRequest, slug: str) -> HttpResponse:
    mission = get_mission(slug)
    return render(
        request,
        "missions/mission_detail.html",
        {
            "mission": mission,
            "blogs": queries.all_blogs().filter(mission=mission),
            "bloggers": mission.bloggers.select_related("photo").order_by("display_name"),
        },
    )
