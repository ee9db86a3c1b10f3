"""The digital team's page: how many subscribe, bounce, complain; one person's data."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import queries, services
from .forms import EraseForm
from .models import Delivery, Follow, Frequency, Subscriber


def overview(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("subscriptions.manage_subscribers"):
        raise PermissionDenied
    form = EraseForm()
    if request.method == "POST":
        form = EraseForm(request.POST)
        if form.is_valid():
            email = form.cleaned_data["email"]
            if form.cleaned_data["action"] == "export":
                held = services.subscriber_export(email=email)
                if held is None:
                    messages.info(request, _("Nothing is held about this address."))
                    return redirect("subscriptions_admin:overview")
                response = HttpResponse(
                    json.dumps(held, indent=2, ensure_ascii=False),
                    content_type="application/json; charset=utf-8",
                )
                response["Content-Disposition"] = 'attachment; filename="subscriber.json"'
                return response
            if services.subscriber_erase(email=email):
                messages.success(request, _("Everything held about this address is erased."))
            else:
                messages.info(request, _("Nothing is held about this address."))
            return redirect("subscriptions_admin:overview")
    data = queries.overview()
    context: dict[str, Any] = {
        "page_title": _("Email subscriptions"),
        "header_title": _("Email subscriptions"),
        "overview": data,
        "subscriber_rows": [
            (label, data.subscribers.get(value, 0)) for value, label in Subscriber.Status.choices
        ],
        "frequency_rows": [
            (label, data.frequencies.get(value, 0)) for value, label in Frequency.choices
        ],
        "follow_rows": [
            (label, data.follows.get(value, 0)) for value, label in Follow.Kind.choices
        ],
        "delivery_rows": [
            (label, data.deliveries.get(value, 0)) for value, label in Delivery.Status.choices
        ],
        "form": form,
    }
    return render(request, "subscriptions/admin/overview.html", context)
