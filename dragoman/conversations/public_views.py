"""What the views behind the public forms answer when they do not take what was sent: a page
that says why, or the form again. The comment, campaign message and question views share
them; each names its own template and what that template shows beside the message."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import defences
from .public_forms import PublicForm


def refusal_page(
    request: HttpRequest, refusal: defences.Refusal, template: str, **context: Any
) -> HttpResponse:
    """The refusal's message on a page of its own, with its status; a reader over the rate
    limit is told (Retry-After) when to try again."""
    response = render(
        request, template, {"message": refusal.message, **context}, status=refusal.status
    )
    if refusal.status == 429:
        response["Retry-After"] = str(defences.rate_limit()[1])
    return response


def form_again(
    request: HttpRequest, form: PublicForm, template: str, message: str = "", **context: Any
) -> HttpResponse:
    """The form as the reader sent it, with its errors or the message, and a new stamp so
    that it can be sent again."""
    form.refresh_stamp()
    return render(request, template, {"form": form, "message": message, **context}, status=400)
