"""Wagtail's page signals for campaign pages, forwarded to ``services``; no rule lives here."""

from __future__ import annotations

from typing import Any

from . import services
from .models import CampaignPage


def page_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    # A move tells of a plain Page; its specific class says whether it is a campaign.
    model = getattr(instance, "specific_class", None) or type(instance)
    if issubclass(model, CampaignPage):
        services.campaign_page_changed(campaign_id=instance.pk)


def connect() -> None:
    from django.db.models.signals import post_delete
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(page_changed, dispatch_uid="campaigns_page_published")
    page_unpublished.connect(page_changed, dispatch_uid="campaigns_page_unpublished")
    post_page_move.connect(page_changed, dispatch_uid="campaigns_page_moved")
    post_delete.connect(page_changed, sender=CampaignPage, dispatch_uid="campaigns_page_deleted")
