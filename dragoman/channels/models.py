"""The register of official channels: which accounts really speak for a mission.

A channel is one account on another platform (X, Facebook, Mastodon...). Its owner is a
mission or a person in an official role (a blogger, such as an ambassador). The register also
lists known impersonations, so that "is this official?" can warn as well as reassure.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import RevisionMixin

from .normalise import PLATFORM_CHOICES, ChannelAddress, platform_label

PLATFORM_LABELS = dict(PLATFORM_CHOICES)


class ChannelQuerySet(models.QuerySet["Channel"]):
    def active(self) -> ChannelQuerySet:
        return self.filter(status=Channel.Status.ACTIVE)

    def of_mission(self, mission_id: int) -> ChannelQuerySet:
        """Channels of the mission itself and of the officials posted there."""
        return self.filter(Q(mission_id=mission_id) | Q(blogger__mission_id=mission_id))

    def in_country(self, country_code: str) -> ChannelQuerySet:
        return self.filter(
            Q(mission__country_code=country_code) | Q(blogger__mission__country_code=country_code)
        )

    def in_language(self, code: str) -> ChannelQuerySet:
        # Languages are stored as ",en,ar," so that one code is one substring match everywhere.
        return self.filter(languages__contains=f",{code},")


class Channel(RevisionMixin, models.Model):
    """One official account (or a known impersonation of one) on another platform."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Official")
        ARCHIVED = "archived", _("Archived")
        IMPERSONATION = "impersonation", _("Impersonation warning")

    class Audience(models.TextChoices):
        GENERAL = "general", _("General public")
        COUNTRY = "country", _("People in the host country")
        NATIONALS = "nationals-abroad", _("Our nationals abroad")
        CONSULAR = "consular", _("Consular and travel advice")
        ALUMNI = "alumni", _("Scholarship alumni")
        BUSINESS = "business", _("Trade and business")
        CULTURE = "culture", _("Culture and education")
        PRESS = "press", _("Press and media")
        OFFICIAL = "official", _("An official's own account")

    platform = models.CharField(_("platform"), max_length=20, choices=PLATFORM_CHOICES)
    handle = models.CharField(
        _("handle"),
        max_length=300,
        blank=True,
        help_text=_(
            "Paste the address or the handle as you have it; it is stored in one canonical form."
        ),
    )
    platform_id = models.CharField(
        _("platform id"),
        max_length=100,
        blank=True,
        help_text=_(
            "The number or code the platform gives the account (a Facebook page id, a YouTube "
            "channel id starting UC), when it is known: the checker recognises both."
        ),
    )
    url = models.URLField(_("canonical address"), max_length=400, blank=True, editable=False)
    mission = models.ForeignKey(
        "missions.Mission",
        verbose_name=_("owning mission"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="channels",
    )
    blogger = models.ForeignKey(
        "blogs.Blogger",
        verbose_name=_("owning official"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="channels",
        help_text=_("For a person's official account, such as the ambassador's."),
    )
    languages = models.CharField(
        _("languages"),
        max_length=200,
        blank=True,
        help_text=_("Language codes separated by spaces or commas, for example: en ar."),
    )
    audience = models.CharField(
        _("audience or topic"), max_length=30, choices=Audience.choices, default=Audience.GENERAL
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    verified_on = models.DateField(_("last verified on"), null=True, blank=True)
    note = models.TextField(
        _("public note"),
        max_length=1000,
        blank=True,
        help_text=_("Shown to the public, for example why an account was archived."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ChannelQuerySet.as_manager()

    class Meta:
        ordering = ["platform", "handle", "platform_id"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "handle"],
                condition=~Q(handle=""),
                name="channels_unique_platform_handle",
                violation_error_message=_("This account is already in the register."),
            ),
            models.UniqueConstraint(
                fields=["platform", "platform_id"],
                condition=~Q(platform_id=""),
                name="channels_unique_platform_id",
                violation_error_message=_("This account is already in the register."),
            ),
            models.CheckConstraint(
                condition=(Q(mission__isnull=False, blogger__isnull=True))
                | (Q(mission__isnull=True, blogger__isnull=False)),
                name="channels_one_owner",
                violation_error_message=_("A channel has one owner: a mission or an official."),
            ),
            models.CheckConstraint(
                condition=~Q(handle="", platform_id=""),
                name="channels_handle_or_id",
                violation_error_message=_("Give the account's handle or its platform id."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_handle} ({platform_label(self.platform)})"

    @property
    def address(self) -> ChannelAddress:
        if self.handle:
            return ChannelAddress(self.platform, "handle", self.handle)
        return ChannelAddress(self.platform, "id", self.platform_id)

    @property
    def display_handle(self) -> str:
        return self.address.display

    @property
    def platform_label(self) -> str:
        return str(PLATFORM_LABELS.get(self.platform, self.platform))

    @property
    def owner_url(self) -> str:
        owner = self.mission if self.mission_id else self.blogger
        return owner.get_absolute_url() if owner else ""

    @property
    def owner_name(self) -> str:
        if self.blogger_id and self.blogger:
            return f"{self.blogger.display_name}, {self.blogger.job_title}"
        return self.mission.name if self.mission else ""

    @property
    def owning_mission(self):  # type: ignore[no-untyped-def]
        """The mission the channel speaks for: its own, or its official's."""
        if self.mission_id:
            return self.mission
        return self.blogger.mission if self.blogger else None

    @property
    def language_codes(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]

    @property
    def language_names(self) -> list[str]:
        names = dict(settings.CONTENT_LANGUAGES)  # lazy names: translated when shown
        return [str(names.get(code, code)) for code in self.language_codes]
