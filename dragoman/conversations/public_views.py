"""What the views behind the public forms answer when they do not take what was sent: a page
that says why, or the form again. The comment, campaign message and question views share
them; each names its own templates and what they show beside the message."""

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


def submission_refused(
    request: HttpRequest,
    form: PublicForm,
    *,
    target_id: int,
    closed: str = "",
    form_page: str,
    refused_page: str,
    **context: Any,
) -> HttpResponse | None:
    """The answer to a submission that the defences or the form refuse; None if it may be
    taken (then ``form.cleaned_data`` holds it). A refusal the reader can mend (a stamp too
    old or too young) shows the form again with what they wrote."""
    try:
        defences.check_submission(request, target_id=target_id, closed=closed)
    except defences.Refusal as refusal:
        if refusal.resend:
            return form_again(request, form, form_page, refusal.message, **context)
        return refusal_page(request, refusal, refused_page, **context)
    if not form.is_valid():
        return form_again(request, form, form_page, **context)
    return None
