"""The digital team's dashboard, its CSV, and a mission's printable monthly report (admin)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from dragoman.blogs.models import BlogPage
from dragoman.missions.models import Mission

from . import queries
from .forms import PeriodForm


def may_read_figures(user: object) -> bool:
    """The digital team (who grant permission to blog), or whoever holds the permission."""
    has_perm = getattr(user, "has_perm", None)
    if has_perm is None:
        return False
    return bool(has_perm("evaluation.view_figures") or has_perm("authoring.manage_bloggers"))


def dashboard(request: HttpRequest) -> HttpResponse:
    if not may_read_figures(request.user):
        raise PermissionDenied
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "evaluation/dashboard.html",
            {
                "form": form,
                "board": None,
                "missions": Mission.objects.order_by("name"),
                "page_title": _("Figures"),
                "header_title": _("Figures"),
            },
            status=400,
        )
    data = form.cleaned_data
    start: date = data["start"]
    end: date = data["end"]
    scope = queries.scope_find(
        mission=data.get("mission"), blog=data.get("blog"), entry=data.get("entry")
    )
    if scope is None:
        raise Http404(_("There is no such mission, blog or entry."))
    board = queries.dashboard(scope=scope, start=start, end=end)
    if data.get("format") == "csv":
        response = HttpResponse(
            queries.dashboard_csv(board), content_type="text/csv; charset=utf-8"
        )
        name = f"figures-{scope.kind}-{scope.pk}-{start}-{end}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    query = request.GET.copy()
    query["format"] = "csv"
    return render(
        request,
        "evaluation/dashboard.html",
        {
            "form": form,
            "board": board,
            "csv_query": query.urlencode(),
            "missions": Mission.objects.order_by("name"),
            "blogs": BlogPage.objects.order_by("title").values("pk", "title"),
            "page_title": _("Figures"),
            "header_title": _("Figures"),
        },
    )


def monthly_report(request: HttpRequest, mission: int, year: int, month: int) -> HttpResponse:
    """A mission's figures for one month, laid out to be printed (and as the emailed report)."""
    if not may_read_figures(request.user):
        raise PermissionDenied
    if not 1 <= month <= 12 or not 2000 <= year <= 9999:
        raise Http404(_("There is no such month."))
    the_mission = get_object_or_404(Mission, pk=mission)
    board = queries.mission_report(mission=the_mission, month=date(year, month, 1))
    return render(
        request,
        "evaluation/report.html",
        {"board": board, "mission": the_mission, "month": date(year, month, 1)},
    )
