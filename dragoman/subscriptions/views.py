"""Readers' pages: follow, confirm, manage, unsubscribe. No cookie, no JavaScript.

Confirming and unsubscribing act on POST only: a GET shows a button. Mail programs and
security scanners open the links in messages; they must not confirm or unsubscribe anyone.
The one-click unsubscribe of RFC 8058 is a POST from the reader's mail program, which
carries no Origin of ours: the signed link is the proof, as for the manage page.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from dragoman.blogs.queries import all_blogs

from . import defences, links, queries, services
from .forms import AddFollowForm, FollowForm, FrequencyForm
from .models import Follow, Subscriber

PRIVATE_HEADERS = {"Referrer-Policy": "same-origin", "X-Robots-Tag": "noindex"}


def _private(response: HttpResponse) -> HttpResponse:
    # The addresses of these pages are keys: keep them out of other sites' logs.
    for name, value in PRIVATE_HEADERS.items():
        response[name] = value
    return response


def _refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    response = render(request, "subscriptions/refused.html", {"message": message}, status=status)
    if status == 429:
        response["Retry-After"] = str(defences.rate_limit()[1])
    return _private(response)


def _follow_label(kind: str, value: str) -> str:
    return queries.follow_label(Follow(kind=kind, value=value))


def _form_page(
    request: HttpRequest, form: FollowForm, *, message: str = "", status: int = 200
) -> HttpResponse:
    kind, value = form["kind"].value() or "", form["value"].value() or ""
    label = ""
    if kind in Follow.Kind.values and queries.follow_value_canonical(kind=kind, value=value):
        label = _follow_label(kind, value)
    return _private(
        render(
            request,
            "subscriptions/follow.html",
            {"form": form, "message": message, "label": label},
            status=status,
        )
    )


@csrf_exempt  # no cookie on public pages; the Origin check and the signed stamp instead
@never_cache
@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    """GET: the form alone (``?kind=blog&value=12``). POST: ask to follow; whatever the
    address, the same answer (the form does not tell who is subscribed)."""
    if request.method == "GET":
        kind, value = request.GET.get("kind", ""), request.GET.get("value", "")
        if kind not in Follow.Kind.values or not queries.follow_value_canonical(
            kind=kind, value=value
        ):
            raise Http404(_("There is nothing here to follow."))
        return _form_page(request, FollowForm(initial={"kind": kind, "value": value}))
    form = FollowForm(request.POST)
    try:
        defences.check_origin(request)
        defences.check_honeypot(request.POST.get("website", ""))
        defences.check_rate(request)
        defences.check_stamp(request, stamp=request.POST.get("stamp", ""))
    except defences.Refusal as refusal:
        if refusal.resend:
            form.refresh_stamp()
            return _form_page(request, form, message=refusal.message, status=400)
        return _refused(request, refusal.message, refusal.status)
    if not form.is_valid():
        form.refresh_stamp()
        return _form_page(request, form, status=400)
    data = form.cleaned_data
    try:
        services.subscription_request(
            email=data["email"],
            kind=data["kind"],
            value=data["value"],
            frequency=data["frequency"],
            language=get_language() or "en",
        )
    except ValidationError as error:
        form.add_error("email" if error.code in {"invalid", "required"} else None, error)
        form.refresh_stamp()
        return _form_page(request, form, status=400)
    return redirect("subscriptions:check_inbox")


def check_inbox(request: HttpRequest) -> HttpResponse:
    return _private(render(request, "subscriptions/check_inbox.html"))


def _bad_link(request: HttpRequest, error: links.BadLink) -> HttpResponse:
    message = (
        _("This confirmation link has expired. Please fill in the form again.")
        if error.expired
        else _("This link is not valid, or the subscription no longer exists.")
    )
    return _refused(request, message, 410 if error.expired else 404)


@csrf_exempt  # the signed link is the secret; a forging site cannot know it
@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriber = links.subscriber_for_confirm(token)
    except links.BadLink as error:
        return _bad_link(request, error)
    if subscriber.status == Subscriber.Status.SUSPENDED:
        return _refused(request, _("This address is suspended."), 403)
    pending = list(subscriber.follows.filter(confirmed_at__isnull=True).order_by("pk"))
    if request.method == "POST":
        services.subscriber_confirm(subscriber=subscriber)
        return redirect("subscriptions:manage", token=links.manage_token(subscriber))
    return _private(
        render(
            request,
            "subscriptions/confirm.html",
            {
                "subscriber": subscriber,
                "follows": [queries.follow_label(follow) for follow in pending],
            },
        )
    )


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriber = links.subscriber_for_manage(token)
    except links.BadLink as error:
        return _bad_link(request, error)
    blogs = list(all_blogs().values_list("pk", "title"))
    frequency_form = FrequencyForm(initial={"frequency": subscriber.frequency})
    add_form = AddFollowForm(blogs=blogs)
    message = ""
    status = 200
    if request.method == "POST":
        try:
            defences.check_origin(request)
        except defences.Refusal as refusal:
            return _refused(request, refusal.message, refusal.status)
        action = request.POST.get("action", "")
        try:
            if action == "frequency":
                frequency_form = FrequencyForm(request.POST)
                if frequency_form.is_valid():
                    services.subscriber_frequency_change(
                        subscriber=subscriber, frequency=frequency_form.cleaned_data["frequency"]
                    )
                    message = _("Your choice is saved.")
                else:
                    status = 400
            elif action == "remove":
                ids = [
                    int(v) for v in request.POST.getlist("follow") if v.isdigit() and len(v) < 18
                ]
                services.follow_remove(subscriber=subscriber, follow_ids=ids)
                if not Subscriber.objects.filter(pk=subscriber.pk).exists():
                    return redirect("subscriptions:unsubscribed")
                message = _("Your choice is saved.")
            elif action == "add":
                add_form = AddFollowForm(request.POST, blogs=blogs)
                if add_form.is_valid():
                    for kind in ("blog", "language"):
                        if add_form.cleaned_data.get(kind):
                            services.follow_add(
                                subscriber=subscriber,
                                kind=kind,
                                value=add_form.cleaned_data[kind],
                            )
                    message = _("Your choice is saved.")
                else:
                    status = 400
            else:
                return _refused(request, _("This form was not understood."), 400)
        except ValidationError as error:
            message, status = " ".join(error.messages), 400
        if status == 200:
            return redirect(reverse("subscriptions:manage", kwargs={"token": token}) + "?saved=1")
    elif request.GET.get("saved"):
        message = _("Your choice is saved.")
    follows = [
        (follow, queries.follow_label(follow))
        for follow in subscriber.follows.order_by("kind", "pk")
    ]
    return _private(
        render(
            request,
            "subscriptions/manage.html",
            {
                "subscriber": subscriber,
                "follows": follows,
                "frequency_form": frequency_form,
                "add_form": add_form,
                "message": message,
                "unsubscribe_url": reverse("subscriptions:unsubscribe", kwargs={"token": token}),
            },
            status=status,
        )
    )


@csrf_exempt  # RFC 8058: the mail program POSTs here, without any cookie or Origin of ours
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a page with one button. POST (the button, or a mail program's one-click with
    ``List-Unsubscribe=One-Click``): unsubscribe from everything, at once."""
    try:
        subscriber = links.subscriber_for_manage(token)
    except links.BadLink:
        if request.method == "POST":
            # Already unsubscribed (a second click) or never existed: nothing to keep.
            return redirect("subscriptions:unsubscribed")
        return _refused(
            request, _("This link is not valid, or the subscription no longer exists."), 404
        )
    if request.method == "POST":
        services.subscriber_unsubscribe(subscriber=subscriber)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(_("You are unsubscribed."), content_type="text/plain")
        return redirect("subscriptions:unsubscribed")
    return _private(render(request, "subscriptions/unsubscribe.html", {"subscriber": subscriber}))


def unsubscribed(request: HttpRequest) -> HttpResponse:
    return _private(render(request, "subscriptions/unsubscribed.html"))
