"""Public pages of the register: the filtered list, its exports and "is this official?"."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from . import exchange, queries
from .forms import CheckForm, RegisterFilterForm
from .queries import CheckAnswer, Verdict


def _filters_or_error(
    request: HttpRequest,
) -> tuple[RegisterFilterForm, queries.RegisterFilters | None]:
    form = RegisterFilterForm(request.GET)
    return form, form.filters() if form.is_valid() else None


# Long enough for a whole mission with its officials; the exports give everything at once.
REGISTER_PAGE_SIZE = 200

# The register changes whenever the digital team edits a channel, and nothing purges a shared
# cache then: browsers and CDNs must ask again every time.
register_cache_control = cache_control(max_age=0, no_cache=True)


@register_cache_control
def register(request: HttpRequest) -> HttpResponse:
    form, filters = _filters_or_error(request)
    if filters is None:
        return render(request, "channels/register.html", {"form": form, "channels": []}, status=400)
    paginator = Paginator(queries.register_channels(filters), REGISTER_PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404(str(error)) from error
    query = urlencode(filters.as_dict())
    return render(
        request,
        "channels/register.html",
        {
            "form": form,
            "filtered": bool(filters.as_dict()),
            "channels": page.object_list,
            "page": page,
            "export_query": f"?{query}" if query else "",
        },
    )


@register_cache_control
def register_export(request: HttpRequest, format: str) -> HttpResponse:
    form, filters = _filters_or_error(request)
    if filters is None:
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        return JsonResponse({"error": _("Unknown filter value."), "fields": errors}, status=400)
    channels = queries.register_channels(filters)
    if format == "csv":
        response = HttpResponse(
            exchange.register_csv(channels), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="channels.csv"'
        return response
    return HttpResponse(
        exchange.register_json(channels, filters=filters.as_dict()),
        content_type="application/json; charset=utf-8",
    )


def _wants_json(request: HttpRequest) -> bool:
    if request.GET.get("format") == "json":
        return True
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def answer_json(answer: CheckAnswer) -> dict[str, Any]:
    address = answer.address
    return {
        "query": answer.query,
        "result": answer.verdict,
        "message": answer.message,
        "normalised": (
            {
                "platform": address.platform or None,
                "handle": address.value,
                "kind": address.kind,
                "url": address.url or None,
            }
            if address
            else None
        ),
        "channels": [
            {
                **{
                    key: value
                    for key, value in exchange.channel_record(channel).items()
                    if key not in {"owner_type", "owner"}
                },
                "owner": {
                    "type": "blogger" if channel.blogger_id else "mission",
                    "name": channel.owner_name,
                    "url": channel.owner_url or None,
                },
            }
            for channel in answer.channels
        ],
    }


@register_cache_control
def check(request: HttpRequest) -> HttpResponse:
    wants_json = _wants_json(request)
    format_name = request.GET.get("format", "")
    if format_name not in {"", "json", "html"}:
        response: HttpResponse = JsonResponse(
            {"error": _("Unknown format; use format=json or format=html.")}, status=400
        )
    elif "q" not in request.GET:
        if wants_json:
            response = JsonResponse(
                {"error": _("Give the address or handle to check as q.")}, status=400
            )
        else:
            response = render(request, "channels/check.html", {"form": CheckForm()})
    else:
        form = CheckForm(request.GET)
        answer = queries.channel_check(request.GET["q"])
        status = 400 if answer.verdict == Verdict.INVALID else 200
        if wants_json:
            response = HttpResponse(
                json.dumps(answer_json(answer), ensure_ascii=False),
                content_type="application/json; charset=utf-8",
                status=status,
            )
        else:
            response = render(
                request, "channels/check.html", {"form": form, "answer": answer}, status=status
            )
    patch_vary_headers(response, ["Accept"])
    return response
