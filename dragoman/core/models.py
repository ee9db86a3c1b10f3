"""The network's own name and description, in each interface language."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.models import Orderable


@register_setting(icon="site")
class NetworkSettings(ClusterableModel, BaseGenericSetting):
    """What the network is called: one row per interface language, edited by the digital team.

    A language without a row (or with an empty field) shows the default language's, and
    without that either, DRAGOMAN_SITE_NAME.
    """

    panels = [
        InlinePanel(
            "names",
            heading=_("Name and description in each language"),
            label=_("Language"),
            max_num=len(settings.LANGUAGES),
        )
    ]

    class Meta:
        verbose_name = _("network name")


class NetworkName(Orderable):
    network = ParentalKey(NetworkSettings, on_delete=models.CASCADE, related_name="names")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    name = models.CharField(
        _("name"), max_length=100, help_text=_("Shown in every page's header and title.")
    )
    description = models.CharField(
        _("description"),
        max_length=300,
        blank=True,
        help_text=_("One sentence, shown by search engines and social networks."),
    )

    panels = [FieldPanel("language"), FieldPanel("name"), FieldPanel("description")]

    class Meta(Orderable.Meta):
        verbose_name = _("name in one language")
        # Checked by the admin's form too, so a language given twice is a message, not an error.
        unique_together = [("network", "language")]

    def __str__(self) -> str:
        return f"{self.language}: {self.name}"
