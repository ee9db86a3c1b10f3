from typing import Any

from django.http import HttpRequest
from wagtail import hooks

from .dependencies import PAGE_ATTRIBUTE


@hooks.register("before_serve_page")
def remember_served_page(page: Any, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
    """The page cache asks later which page was served, to know what it depends on."""
    setattr(request, PAGE_ATTRIBUTE, page)
