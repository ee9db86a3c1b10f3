from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dragoman.blogs import queries as blog_queries

from . import queries


def mission_detail(request: HttpRequest, slug: str) -> HttpResponse:
    mission = queries.get_mission(slug)
    return render(
        request,
        "missions/mission_detail.html",
        {
            "mission": mission,
            "blogs": blog_queries.all_blogs().filter(mission=mission),
            "bloggers": mission.bloggers.select_related("photo").order_by("display_name"),
        },
    )
