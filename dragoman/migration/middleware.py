"""An old WordPress site's `/?p=123` (and `?page_id=`) addresses, sent to the new entry.

Wagtail's redirects answer only addresses that would be a 404; the home page is not one,
so this looks at the home page's address with those parameters before the page is served.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase, HttpResponsePermanentRedirect
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

LEGACY_PARAMETERS = ("p", "page_id")


class LegacyAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path == "/" and request.method in {"GET", "HEAD"}:
            for name in LEGACY_PARAMETERS:
                value = request.GET.get(name, "")
                if value.isascii() and value.isdecimal() and len(value) < 19:
                    redirect = (
                        Redirect.get_for_site(Site.find_for_request(request))
                        .filter(old_path=Redirect.normalise_path(f"/?{name}={int(value)}"))
                        .first()
                    )
                    if redirect is not None and redirect.link:
                        return HttpResponsePermanentRedirect(redirect.link)
        return self.get_response(request)
