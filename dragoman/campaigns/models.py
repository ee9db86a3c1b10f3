"""Campaigns: a page that gathers short public messages for the digital team to deliver."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from dragoman.blogs.models import NetworkPage

MAX_MESSAGE = 500
WALL_PAGE_SIZE = 30


class CampaignPage(NetworkPage):
    """ "Send your birthday wishes": what the messages are for, and until when they are taken."""

    introduction = models.TextField(
        _("introduction"),
        max_length=2000,
        help_text=_("Who the messages are for and how the digital team will deliver them."),
    )
    closes_at = models.DateTimeField(
        _("closes at"),
        null=True,
        blank=True,
        help_text=_("After this time the form is replaced by a notice; the wall stays."),
    )
    delivery_note = models.TextField(
        _("delivery note"),
        blank=True,
        max_length=1000,
        help_text=_("Shown once the campaign is closed: what happened to the messages."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        FieldPanel("closes_at"),
        FieldPanel("delivery_note"),
    ]
    parent_page_types = ["blogs.HomePage", "blogs.BlogPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def is_open(self, now: datetime | None = None) -> bool:
        return self.closes_at is None or self.closes_at > (now or timezone.now())

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from . import queries

        context = super().get_context(request, *args, **kwargs)
        context.update(queries.wall_context(campaign=self, page_number=request.GET.get("page")))
        return context


class MessageQuerySet(models.QuerySet["Message"]):
    def on_wall(self) -> MessageQuerySet:
        """What every reader may see: approved messages of a campaign that is live and public."""
        public_campaigns = CampaignPage.objects.live().public().values("pk")
        return self.filter(status=Message.Status.APPROVED, campaign__in=public_campaigns)


class Message(models.Model):
    """One reader's message to a campaign, kept until the digital team delivers it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    campaign = models.ForeignKey(
        CampaignPage,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    # Empty: the writer chose to stay anonymous.
    name = models.CharField(_("name"), max_length=80, blank=True)
    country = CountryField(_("country"), blank=True)
    language = models.CharField(
        _("language"), max_length=10, blank=True, choices=settings.CONTENT_LANGUAGES
    )
    body = models.TextField(_("message"), max_length=MAX_MESSAGE)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # HMAC of the client address with SECRET_KEY (as for comments): spots abuse, never the IP.
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)
    body_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("campaign message")
        verbose_name_plural = _("campaign messages")
        permissions = [("moderate_message", _("Can moderate and export campaign messages"))]
        indexes = [
            models.Index(fields=["campaign", "status", "created_at"], name="message_wall"),
            models.Index(fields=["campaign", "status", "country"], name="message_country"),
            models.Index(fields=["campaign", "body_hash"], name="message_duplicate"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name}: {self.body[:40]}"

    @property
    def display_name(self) -> str:
        return self.name or str(_("Anonymous"))
