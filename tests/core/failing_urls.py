"""The site's addresses plus one page that always fails, to see the 500 page a reader gets."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from dragoman.urls import handler404, handler500
from dragoman.urls import urlpatterns as site_urlpatterns


def fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a page that fails on purpose")


urlpatterns = [path("fails/", fails), *site_urlpatterns]

__all__ = ["handler404", "handler500", "urlpatterns"]
