"""Readers' side of campaigns: send a message, the thank-you page, the wall by country."""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django_countries import countries

from dragoman.conversations import defences
from dragoman.conversations.public_views import form_again, refusal_page, submission_refused

from . import queries, services
from .forms import MessageForm
from .models import Message

THANKS_SALT = "dragoman.campaigns.thanks"
FORM_PAGE = "campaigns/message_form_page.html"
REFUSED_PAGE = "campaigns/refused.html"


def message_token(message: Message) -> str:
    """The private address of a message's thank-you page."""
    return signing.dumps(message.pk, salt=THANKS_SALT)


def _closed_text() -> str:
    return gettext("This campaign is closed: it no longer takes messages.")


# Campaign pages come from the shared page cache and set no cookie, so there is no CSRF
# cookie to check: the form has the comment form's defences instead (Origin, signed stamp,
# honeypot, rate limit; see dragoman/conversations/defences.py).
@csrf_exempt
@never_cache
@require_POST
def message_create(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = queries.campaign_on_wall(campaign_id)
    form = MessageForm(request.POST, campaign_id=campaign.pk)
    refused = submission_refused(
        request,
        form,
        target_id=campaign.pk,
        closed="" if campaign.is_open() else _closed_text(),
        form_page=FORM_PAGE,
        refused_page=REFUSED_PAGE,
        campaign=campaign,
    )
    if refused is not None:
        return refused
    data = form.cleaned_data
    try:
        message = services.message_submit(
            campaign=campaign,
            name=data["name"],
            country=data["country"],
            language=data["language"],
            body=data["body"],
            ip_hash=defences.client_hash(defences.client_address(request)),
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
            return form_again(request, form, FORM_PAGE, campaign=campaign)
        return refusal_page(
            request,
            defences.Refusal(" ".join(error.messages), status=403),
            REFUSED_PAGE,
            campaign=campaign,
        )
    # Committed: only now is the reader thanked, on a page addressed by a signed token.
    return redirect("campaigns:thanks", token=message_token(message))


@never_cache
@require_GET
def thanks(request: HttpRequest, token: str) -> HttpResponse:
    try:
        message_id = signing.loads(token, salt=THANKS_SALT)
    except signing.BadSignature as error:
        raise Http404("No such message") from error
    message = Message.objects.select_related("campaign").filter(pk=message_id).first()
    if message is None:
        raise Http404("No such message")
    response = render(request, "campaigns/thanks.html", {"sent": message})
    # The address is private to the writer: keep it out of other sites' logs.
    response["Referrer-Policy"] = "same-origin"
    return response


@require_GET
def country_wall(request: HttpRequest, campaign_id: int, country: str) -> HttpResponse:
    """The messages from one country: an address of its own, so the page cache can keep it."""
    campaign = queries.campaign_on_wall(campaign_id)
    if country not in dict(countries):
        raise Http404("No such country")
    context = queries.wall_context(
        campaign=campaign, page_number=request.GET.get("page"), country=country
    )
    return render(request, "campaigns/country_wall.html", context)
