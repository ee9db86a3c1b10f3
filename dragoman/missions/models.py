"""Missions: the embassies, consulates and ministry offices where people are posted."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class Continent(models.TextChoices):
    AFRICA = "africa", _("Africa")
    AMERICAS = "americas", _("Americas")
    ASIA = "asia", _("Asia")
    EUROPE = "europe", _("Europe")
    MIDDLE_EAST = "middle-east", _("Middle East")
    OCEANIA = "oceania", _("Oceania")


class Mission(index.Indexed, models.Model):
    """An embassy, high commission, consulate, delegation or ministry department."""

    class Kind(models.TextChoices):
        EMBASSY = "embassy", _("Embassy")
        HIGH_COMMISSION = "high-commission", _("High commission")
        CONSULATE = "consulate", _("Consulate")
        DELEGATION = "delegation", _("Delegation")
        MINISTRY = "ministry", _("Ministry department")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.EMBASSY)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=100)
    country_code = models.CharField(
        _("country code"), max_length=2, help_text=_("ISO 3166-1 alpha-2, for example JO.")
    )
    continent = models.CharField(_("continent"), max_length=20, choices=Continent.choices)
    website = models.URLField(_("website"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("city"),
        FieldPanel("country"),
        FieldPanel("country_code"),
        FieldPanel("continent"),
        FieldPanel("website"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("city"),
        index.SearchField("country"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("blogs:mission_detail", kwargs={"slug": self.slug})
