"""What campaign pages show, for the page cache (see ``dragoman.publishing.dependencies``)."""

from __future__ import annotations

from django.urls import reverse

from dragoman.core.changes import Dependency


def campaign(campaign_id: int) -> Dependency:
    """A campaign's wall: its page and its pages by country."""
    return Dependency("campaign", str(campaign_id))


def _campaign_paths(key: str) -> list[str]:
    from .models import CampaignPage

    page = CampaignPage.objects.filter(pk=int(key)).first()
    if page is None:
        return []
    return [path for path in [page.get_url()] if path]


def register() -> None:
    from dragoman.publishing.dependencies import addresses, cacheable_page_type, cacheable_route

    from .models import CampaignPage

    cacheable_page_type(CampaignPage, lambda page: [campaign(page.pk)])
    cacheable_route("campaigns:country_wall", lambda kw: [campaign(kw["campaign_id"])])
    addresses("campaign", _campaign_paths)


def country_wall_path(campaign_id: int, country: str) -> str:
    return reverse(
        "campaigns:country_wall", kwargs={"campaign_id": campaign_id, "country": country}
    )
