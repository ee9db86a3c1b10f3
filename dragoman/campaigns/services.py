"""The campaigns' actions: a reader sends a message, a moderator judges messages."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dragoman.conversations.defences import body_hash
from dragoman.core.changes import EVERY_PAGE, announce, shown_on

from .announcements import CampaignPageChanged, CampaignWallChanged
from .dependencies import campaign as campaign_dependency
from .models import CampaignPage, Message

APPROVE, REJECT = "approve", "reject"


def user_can_moderate(user: Any) -> bool:
    """The digital team (and whoever it gives the permission) judges and exports messages."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.has_perm("campaigns.moderate_message"))


@transaction.atomic
def message_submit(
    *,
    campaign: CampaignPage,
    body: str,
    name: str = "",
    country: str = "",
    language: str = "",
    ip_hash: str = "",
    now: datetime | None = None,
) -> Message:
    """Store a reader's message, durably, before the reader is thanked; it waits for a
    moderator. Precondition: the request passed the defences (the view checks them).

    Raises ValidationError when the campaign is closed or the same words were sent to it
    in the last day (a second click, or a robot repeating itself).
    """
    now = now or timezone.now()
    if not campaign.is_open(now):
        raise ValidationError(_("This campaign is closed: it no longer takes messages."))
    digest = body_hash(body)
    if Message.objects.filter(
        campaign=campaign, body_hash=digest, created_at__gte=now - timedelta(days=1)
    ).exists():
        raise ValidationError({"body": _("This message has already been sent.")})
    message = Message(
        campaign=campaign,
        name=name.strip(),
        country=country,
        language=language,
        body=body.strip(),
        body_hash=digest,
        ip_hash=ip_hash,
        created_at=now,
    )
    message.full_clean()
    message.save()
    return message


@transaction.atomic
def messages_moderate(
    *, messages: Iterable[Message], action: str, acting_user: Any, now: datetime | None = None
) -> int:
    """Approve or reject messages; the walls they join or leave are refreshed after commit.
    Returns how many messages changed."""
    if not user_can_moderate(acting_user):
        raise PermissionDenied(_("You may not moderate campaign messages."))
    if action not in (APPROVE, REJECT):
        raise ValidationError(_("Unknown moderation action."))
    status = Message.Status.APPROVED if action == APPROVE else Message.Status.REJECTED
    now = now or timezone.now()
    ids = [message.pk for message in messages]
    rows = list(
        Message.objects.select_for_update().filter(pk__in=ids).exclude(status=status).order_by("pk")
    )
    walls_changed: set[int] = set()
    for message in rows:
        if Message.Status.APPROVED in (message.status, status):
            walls_changed.add(message.campaign_id)
        message.status = status
        message.moderated_at = now
        message.moderated_by = acting_user
    Message.objects.bulk_update(rows, ["status", "moderated_at", "moderated_by"])
    for campaign_id in sorted(walls_changed):
        announce(
            CampaignWallChanged(
                campaign_id=campaign_id, shown_on=shown_on([campaign_dependency(campaign_id)])
            )
        )
    return len(rows)


@transaction.atomic
def campaign_page_changed(*, campaign_id: int) -> None:
    """A campaign page was published, unpublished, moved or deleted: its title shows in the
    site's lists and menus, so every page refreshes (as for the network's other pages)."""
    announce(CampaignPageChanged(campaign_id=campaign_id, shown_on=EVERY_PAGE))
