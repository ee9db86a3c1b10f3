"""Reads of the register: the filtered list, the answers of the checker, the owners' channels."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from dragoman.missions.models import Mission

from .models import Channel
from .normalise import PLATFORM_CHOICES, ChannelAddress, ChannelAddressError, normalise


def channels_with_owners(channels: QuerySet[Channel] | None = None) -> QuerySet[Channel]:
    """Channels with their owner and its mission loaded in the same query."""
    channels = Channel.objects.all() if channels is None else channels
    return channels.select_related("mission", "blogger", "blogger__mission")


@dataclass(frozen=True)
class RegisterFilters:
    """The filters a person chose on the register page (each empty when not chosen)."""

    country: str = ""
    mission: str = ""
    platform: str = ""
    language: str = ""
    audience: str = ""
    status: str = ""

    def as_dict(self) -> dict[str, str]:
        return {name: value for name, value in self.__dict__.items() if value}


def register_channels(filters: RegisterFilters) -> QuerySet[Channel]:
    """The register, filtered: one query whatever the filters."""
    channels = Channel.objects.all()
    if filters.country:
        channels = channels.in_country(filters.country)
    if filters.mission:
        channels = channels.filter(
            Q(mission__slug=filters.mission) | Q(blogger__mission__slug=filters.mission)
        )
    if filters.platform:
        channels = channels.filter(platform=filters.platform)
    if filters.language:
        channels = channels.in_language(filters.language)
    if filters.audience:
        channels = channels.filter(audience=filters.audience)
    if filters.status:
        channels = channels.filter(status=filters.status)
    return channels_with_owners(channels).order_by(
        "mission__country", "blogger__mission__country", "platform", "handle", "platform_id"
    )


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """What each filter offers: one query (the missions), the rest is fixed."""
    missions = list(
        Mission.objects.order_by("country", "name").values_list(
            "slug", "name", "country_code", "country"
        )
    )
    countries = sorted(
        {(code, country) for _slug, _name, code, country in missions}, key=lambda c: c[1]
    )
    return {
        "country": countries,
        "mission": [(slug, name) for slug, name, _code, _country in missions],
        "platform": [(code, str(label)) for code, label in PLATFORM_CHOICES],
        "language": [(code, str(name)) for code, name in settings.CONTENT_LANGUAGES],
        "audience": [(code, str(label)) for code, label in Channel.Audience.choices],
        "status": [(code, str(label)) for code, label in Channel.Status.choices],
    }


def mission_channels(mission: Mission) -> list[Channel]:
    """Active channels of a mission and of its officials, for the mission's page."""
    return list(
        channels_with_owners(Channel.objects.active().of_mission(mission.pk)).order_by(
            "blogger__display_name", "platform", "handle"
        )
    )


def blog_channels(blog: Any) -> list[Channel]:
    """A blog links the active channels of its mission (the mission's own accounts)."""
    if not blog.mission_id:
        return []
    return list(Channel.objects.active().filter(mission_id=blog.mission_id).order_by("platform"))


def blogger_channels(blogger: Any) -> list[Channel]:
    """A profile links the official's own active accounts."""
    return list(Channel.objects.active().filter(blogger=blogger).order_by("platform"))


# "Is this official?" ------------------------------------------------------------------------


class Verdict:
    OFFICIAL = "official"
    ARCHIVED = "archived"
    IMPERSONATION = "impersonation"
    UNKNOWN = "unknown"
    INVALID = "invalid"


@dataclass
class CheckAnswer:
    query: str
    verdict: str
    message: str
    address: ChannelAddress | None = None
    channels: list[Channel] = field(default_factory=list)


def _matching_channels(address: ChannelAddress) -> list[Channel]:
    channels = Channel.objects.all()
    if address.platform:
        column = "platform_id" if address.kind == "id" else "handle"
        channels = channels.filter(platform=address.platform, **{column: address.value})
    else:
        # A bare @handle: the same name on any platform, or as a fediverse user on any server.
        channels = channels.filter(
            Q(handle=address.value)
            | Q(platform_id=address.value)
            | Q(platform="mastodon", handle__startswith=f"{address.value}@")
        )
    return list(channels_with_owners(channels)[:20])


def channel_check(query: str) -> CheckAnswer:
    """Answer "is this account official?" for any address or handle a person pastes.

    Impersonation beats official when a bare handle matches both (the same name can be ours
    on one platform and a fake on another): the warning must never be hidden.
    """
    try:
        address = normalise(query)
    except ChannelAddressError as error:
        return CheckAnswer(query=query, verdict=Verdict.INVALID, message=" ".join(error.messages))
    channels = _matching_channels(address)
    statuses = {channel.status for channel in channels}
    if Channel.Status.IMPERSONATION in statuses:
        verdict = Verdict.IMPERSONATION
        message = _(
            "Warning: this account is known to impersonate us. It is not official; "
            "do not trust it or send it information."
        )
    elif Channel.Status.ACTIVE in statuses:
        verdict = Verdict.OFFICIAL
        message = _("Yes: this is an official channel.")
    elif Channel.Status.ARCHIVED in statuses:
        verdict = Verdict.ARCHIVED
        message = _("This was an official channel but is no longer used; it is archived.")
    else:
        verdict = Verdict.UNKNOWN
        message = _(
            "This account is not in our register. It is not one of our official channels "
            "as far as we know; be careful with it."
        )
    # The channels that decided the verdict come first.
    deciding = {
        Verdict.OFFICIAL: Channel.Status.ACTIVE,
        Verdict.ARCHIVED: Channel.Status.ARCHIVED,
        Verdict.IMPERSONATION: Channel.Status.IMPERSONATION,
    }.get(verdict)
    channels.sort(key=lambda channel: channel.status != deciding)
    return CheckAnswer(
        query=query, verdict=verdict, message=message, address=address, channels=channels
    )
