"""The mail providers' tracking webhooks (django-anymail), for bounces and complaints.

Only the tracking webhooks (not the inbound ones: we receive no mail this way), each guarded:
a call that is malformed, unauthenticated or for a provider not configured is answered with a
400, never a 500 (anymail raises for those).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from anymail import urls as anymail_urls
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger(__name__)


def guarded(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def guarded_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Exception as error:  # the provider's call was not one we can accept
            logger.warning("Mail provider webhook refused: %s", error)
            return HttpResponseBadRequest("This webhook call was not accepted.")

    return csrf_exempt(guarded_view)


urlpatterns = [
    path(str(pattern.pattern), guarded(pattern.callback), name=pattern.name)
    for pattern in anymail_urls.urlpatterns
    if (pattern.name or "").endswith("tracking_webhook")
]
