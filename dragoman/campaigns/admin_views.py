"""The digital team's campaign screens in the Wagtail admin: the campaigns, each campaign's
queue of messages, and the messages ready to deliver (CSV and a printable page)."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries

from dragoman.conversations.bulk_actions import bulk_action_data

from . import queries, services
from .forms import ModerationForm
from .models import CampaignPage, Message

# A cell that starts with one of these is a formula to a spreadsheet: a message written
# "=HYPERLINK(...)" must reach the digital team as text, not run on their machine.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _require_moderator(request: HttpRequest) -> None:
    if not services.user_can_moderate(request.user):
        raise PermissionDenied


def campaign_list(request: HttpRequest) -> HttpResponse:
    _require_moderator(request)
    return render(
        request,
        "campaigns/admin/campaign_list.html",
        {
            "page_title": _("Campaigns"),
            "header_title": _("Campaigns"),
            "campaigns": queries.moderation_campaigns(),
        },
    )


def queue(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """One campaign's messages, oldest first, by state; approve or reject them."""
    _require_moderator(request)
    campaign = get_object_or_404(CampaignPage, pk=campaign_id)
    status = request.GET.get("status", Message.Status.PENDING)
    if status not in {*Message.Status.values, ""}:
        status = Message.Status.PENDING
    if request.method == "POST":
        data = bulk_action_data(request.POST, selection="messages")
        form = ModerationForm(data, queryset=Message.objects.filter(campaign=campaign))
        if form.is_valid():
            done = services.messages_moderate(
                messages=form.cleaned_data["messages"],
                action=form.cleaned_data["action"],
                acting_user=request.user,
            )
            messages.success(
                request,
                ngettext("%(count)d message moderated.", "%(count)d messages moderated.", done)
                % {"count": done},
            )
        else:
            messages.error(request, _("Choose an action and at least one message."))
        return redirect(request.get_full_path())
    page = Paginator(queries.moderation_queue(campaign=campaign, status=status), 50).get_page(
        request.GET.get("p")
    )
    return render(
        request,
        "campaigns/admin/queue.html",
        {
            "page_title": campaign.title,
            "header_title": campaign.title,
            "campaign": campaign,
            "messages_page": page,
            "status": status,
            "statuses": Message.Status.choices,
            "actions": ModerationForm.ACTIONS,
        },
    )


def _cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def export_csv(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The approved messages as CSV (UTF-8 with a byte-order mark, which spreadsheets need to
    read Arabic or Persian correctly)."""
    _require_moderator(request)
    campaign = get_object_or_404(CampaignPage, pk=campaign_id)
    filename = f"{slugify(campaign.slug) or 'campaign'}-{timezone.now():%Y-%m-%d}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("Written"), _("Name"), _("Country"), _("Language"), _("Message")])
    for message in queries.delivery_messages(campaign).iterator():
        writer.writerow(
            [
                message.created_at.isoformat(timespec="minutes"),
                _cell(message.display_name),
                str(countries.name(message.country)) if message.country else "",
                message.language,
                _cell(message.body),
            ]
        )
    return response


def printable(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The approved messages as a page to print and hand over, optionally from one country."""
    _require_moderator(request)
    campaign = get_object_or_404(CampaignPage, pk=campaign_id)
    country = request.GET.get("country", "")
    if country not in dict(countries):
        country = ""
    response = render(
        request,
        "campaigns/admin/printable.html",
        {
            "campaign": campaign,
            "messages_list": queries.delivery_messages(campaign, country=country),
            "country_name": str(countries.name(country)) if country else "",
            "country_counts": queries.country_counts(campaign),
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response
