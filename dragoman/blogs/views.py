"""Public pages outside the page tree: tags, archives, bloggers. Thin: parse, query, render."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.generic.dates import MonthArchiveView, YearArchiveView

from . import queries


def tag_index(request: HttpRequest) -> HttpResponse:
    return render(request, "blogs/tag_index.html", {"tag_cloud": queries.tag_cloud(limit=500)})


def tag_detail(request: HttpRequest, tag: str, blog: str | None = None) -> HttpResponse:
    the_tag = queries.get_tag(tag)
    the_blog = queries.live_blog(blog) if blog else None
    entries = queries.tagged_entries(tag=the_tag, blog=the_blog)
    page = queries.paginate(entries, request.GET.get("page"))
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


class EntryArchiveMixin:
    """What the year and month archives share: live entries, of one blog or of all."""

    date_field: str | None = "date"
    allow_empty = False
    paginate_by: int | None = 10
    month_format = "%m"
    make_object_list = True
    kwargs: dict[str, Any]

    def get_blog(self) -> Any:
        # Django's date views ask for the queryset several times per request (the list,
        # the date list, the neighbouring periods); the blog is looked up once.
        if not hasattr(self, "_blog"):
            slug = self.kwargs.get("blog")
            self._blog = queries.live_blog(slug) if slug else None
        return self._blog

    def get_queryset(self) -> Any:
        blog = self.get_blog()
        entries = queries.live_entries()
        if blog is not None:
            entries = entries.for_blog(blog)
        return queries.with_card_data(entries.newest_first())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["blog"] = self.get_blog()
        context["entries"] = context["page_obj"]
        return context


class ArchiveYearView(EntryArchiveMixin, YearArchiveView):
    template_name = "blogs/archive_period.html"


class ArchiveMonthView(EntryArchiveMixin, MonthArchiveView):
    template_name = "blogs/archive_period.html"


def blogger_list(request: HttpRequest) -> HttpResponse:
    return render(request, "blogs/blogger_list.html", {"countries": queries.bloggers_by_location()})


def blogger_detail(request: HttpRequest, slug: str) -> HttpResponse:
    blogger = queries.live_blogger(slug)
    return render(
        request,
        "blogs/blogger_detail.html",
        {
            "blogger": blogger,
            "blogs": queries.blogs_of_blogger(blogger),
            "entries": queries.paginate(
                queries.blogger_entries(blogger=blogger), request.GET.get("page")
            ),
        },
    )


def entry_permalink(request: HttpRequest, pk: int) -> HttpResponse:
    """The address feeds use as an entry's id: it survives a new title or a move."""
    entry = queries.live_entries().filter(pk=pk).first()
    if entry is None:
        raise Http404("No such entry")
    return redirect(entry.get_url(request=request), permanent=True)
