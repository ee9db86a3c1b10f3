"""Readiness for load balancers and metrics for Prometheus. `/healthz` (the process answers,
nothing else) is core's."""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import health, metrics


@never_cache
@require_safe
def ready(request: HttpRequest) -> HttpResponse:
    """200 when this server may take readers; 503, naming the failed checks, when not."""
    ok, checks = health.readiness()
    return JsonResponse({"ready": ok, "checks": checks}, status=200 if ok else 503)


def client_address(request: HttpRequest) -> str:
    # Behind a front server every request comes from loopback: the address it passes on is
    # the client's (the same setting the comment defences read).
    header = settings.DRAGOMAN_CLIENT_IP_HEADER
    if header:
        return request.META.get(header, "").split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def metrics_allowed(request: HttpRequest) -> bool:
    token = settings.DRAGOMAN_METRICS_TOKEN
    if token:
        given = request.META.get("HTTP_AUTHORIZATION", "")
        if hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return True
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(network, strict=False)
        for network in settings.DRAGOMAN_METRICS_ALLOWED_ADDRESSES
    )


@never_cache
@require_safe
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not metrics_allowed(request):
        return HttpResponse(
            "Metrics are open to the addresses in DRAGOMAN_METRICS_ALLOWED_ADDRESSES, or with "
            "the token of DRAGOMAN_METRICS_TOKEN.\n",
            status=403,
            content_type="text/plain; charset=utf-8",
        )
    body, content_type = metrics.exposition()
    return HttpResponse(body, content_type=content_type)
