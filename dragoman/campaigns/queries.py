"""What campaign pages and the digital team's screens read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django_countries import countries

from dragoman.blogs.queries import paginate

from .models import CampaignPage, Message


@dataclass(frozen=True)
class CountryCount:
    code: str
    name: str
    count: int


def campaign_on_wall(campaign_id: int) -> CampaignPage:
    """A campaign that every reader may see (live and public), or 404."""
    campaign = CampaignPage.objects.live().public().filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404("No such campaign")
    return campaign


def country_counts(campaign: CampaignPage) -> list[CountryCount]:
    """How many messages on the wall came from each country, most first (one query)."""
    rows = (
        Message.objects.on_wall()
        .filter(campaign=campaign)
        .exclude(country="")
        .values("country")
        .annotate(count=Count("pk"))
        .order_by("-count", "country")
    )
    return [
        CountryCount(
            code=row["country"], name=str(countries.name(row["country"])), count=row["count"]
        )
        for row in rows
    ]


def wall_messages(campaign: CampaignPage, *, country: str = "") -> QuerySet[Message]:
    messages = Message.objects.on_wall().filter(campaign=campaign)
    if country:
        messages = messages.filter(country=country)
    return messages.order_by("-created_at", "-pk")


def wall_context(
    *, campaign: CampaignPage, page_number: str | None, country: str = ""
) -> dict[str, Any]:
    """The wall of a campaign page, or of its messages from one country."""
    from .forms import MessageForm

    counts = country_counts(campaign)
    messages: Page = paginate(wall_messages(campaign, country=country), page_number)
    return {
        "campaign": campaign,
        "wall": messages,
        "country_counts": counts,
        "country": country,
        "country_name": str(countries.name(country)) if country else "",
        "total": messages.paginator.count,
        "is_open": campaign.is_open(),
        "form": MessageForm(campaign_id=campaign.pk) if campaign.is_open() else None,
    }


def moderation_campaigns() -> list[CampaignPage]:
    """Every campaign, newest first, with its messages counted by state (one query)."""
    return list(
        CampaignPage.objects.annotate(
            pending=Count("messages", filter=Q(messages__status=Message.Status.PENDING)),
            approved=Count("messages", filter=Q(messages__status=Message.Status.APPROVED)),
            rejected=Count("messages", filter=Q(messages__status=Message.Status.REJECTED)),
        ).order_by("-first_published_at", "-pk")
    )


def moderation_queue(*, campaign: CampaignPage, status: str) -> QuerySet[Message]:
    messages = Message.objects.filter(campaign=campaign).select_related("moderated_by")
    if status:
        messages = messages.filter(status=status)
    return messages.order_by("created_at", "pk")


def pending_count() -> int:
    return Message.objects.filter(status=Message.Status.PENDING).count()


def delivery_messages(campaign: CampaignPage, *, country: str = "") -> QuerySet[Message]:
    """The approved messages, oldest first, as the digital team delivers them."""
    messages = Message.objects.filter(campaign=campaign, status=Message.Status.APPROVED)
    if country:
        messages = messages.filter(country=country)
    return messages.order_by("created_at", "pk")


def public_campaigns(*, limit: int) -> list[CampaignPage]:
    """The newest campaigns every reader may see; a campaign page's publication refreshes
    every page, so the lists that show them stay true."""
    # The campaigns' own ids first, from their table: asked straight for the newest live
    # ones, SQLite walked every page of the network (entries included) down Wagtail's index
    # on first_published_at, looking for the few that are campaigns (none: no second query).
    ids = list(CampaignPage.objects.order_by().values_list("pk", flat=True))
    if not ids:
        return []
    campaigns = CampaignPage.objects.live().public().filter(pk__in=ids)
    return list(campaigns.order_by("-first_published_at")[:limit])
