"""Question sessions: the page, the public's questions, their votes, and the live events.

A session is a Wagtail page (under a blog or the network's home) with the officials who
answer, its language, its hour and an optional stream link. Questions wait in a moderated
queue; readers vote for approved ones; the official answers from the live screen. Every
change readers see is also written as a `LiveEvent` row, in the same transaction, so that a
stream that reconnects with `Last-Event-ID` replays exactly what it missed.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime, tzinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page, PageManager, PageQuerySet

from dragoman.blogs.models import (
    ADMITTED,
    NetworkPage,
    Reader,
    VisibilityFields,
    is_visible,
    language_direction,
    visible_q,
)
from dragoman.blogs.video import Video, parse_video_url

MAX_QUESTION = 500

# A session is "dated" by its first publication: the same rule as entries (live, dated in the
# past, in no section the reader may not see), over the page's own columns.
SESSION_FIELDS = VisibilityFields(live="live", date="first_published_at", path="path")


def _time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class SessionQuerySet(PageQuerySet):
    def visible(self, reader: Reader = None, *, now: datetime | None = None) -> SessionQuerySet:
        """The sessions this reader may see (the entries' rule, `blogs.models.visible_q`)."""
        return self.filter(visible_q(SESSION_FIELDS, reader=reader, now=now))

    def ended(self, *, now: datetime | None = None) -> SessionQuerySet:
        return self.filter(ends_at__lte=now or timezone.now())


SessionManager = PageManager.from_queryset(SessionQuerySet)


class QuestionSessionPage(NetworkPage):
    """An hour (or a day) when officials answer the public's questions live."""

    summary = models.TextField(
        _("summary"),
        max_length=600,
        help_text=_("What the session is about: shown in lists, feeds and shared links."),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.CONTENT_LANGUAGES, default="en"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=settings.TIME_ZONE,
        choices=_time_zone_choices,
        help_text=_("Times are shown in this zone, with its offset from UTC."),
    )
    video_url = models.URLField(
        _("video or stream address"),
        blank=True,
        help_text=_("Optional: a YouTube or Vimeo address, or a link to a video file."),
    )
    questions_open = models.BooleanField(
        _("questions open"),
        default=True,
        help_text=_("Readers may send questions until the session ends."),
    )
    # A transcript in another language is its own page, linked to the original session (as
    # entries' translations are); its questions and answers are translated inline.
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        help_text=_("The original session, if this page is a translation of its transcript."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("language"),
                FieldPanel("translation_of"),
                FieldPanel("starts_at"),
                FieldPanel("ends_at"),
                FieldPanel("time_zone"),
                FieldPanel("questions_open"),
                FieldPanel("video_url"),
            ],
            heading=_("About this session"),
        ),
        InlinePanel("officials", label=_("Officials answering")),
        InlinePanel("translated_questions", label=_("Translated questions and answers")),
    ]
    parent_page_types = ["blogs.BlogPage", "blogs.HomePage"]
    subpage_types: list[str] = []

    objects = SessionManager()

    class Meta:
        verbose_name = _("question session")
        verbose_name_plural = _("question sessions")
        permissions = [("moderate_question", "Can moderate questions and answer them")]

    @property
    def direction(self) -> str:
        return language_direction(self.language)

    @property
    def zone(self) -> tzinfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    @property
    def original(self) -> QuestionSessionPage:
        """The session whose questions this page shows (itself, unless a translation)."""
        return self.translation_of if self.translation_of_id else self  # type: ignore[return-value]

    @property
    def video(self) -> Video | None:
        if not self.video_url:
            return None
        try:
            return parse_video_url(self.video_url)
        except ValidationError:
            return None

    def has_ended(self, now: datetime | None = None) -> bool:
        return bool(self.ends_at and self.ends_at <= (now or timezone.now()))

    def has_started(self, now: datetime | None = None) -> bool:
        return bool(self.starts_at and self.starts_at <= (now or timezone.now()))

    def accepts_questions(self, now: datetime | None = None) -> bool:
        return self.questions_open and not self.has_ended(now) and not self.translation_of_id

    def is_visible_to(self, reader: Reader = None, *, now: datetime | None = None) -> bool:
        return is_visible(
            live=self.live, date=self.first_published_at, path=self.path, reader=reader, now=now
        )

    def clean(self) -> None:
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A session ends after it starts.")})
        if self.video_url:
            try:
                parse_video_url(self.video_url)
            except ValidationError as error:
                raise ValidationError({"video_url": error.messages}) from error
        original = self.translation_of
        if original is not None:
            if self.pk is not None and original.pk == self.pk:
                raise ValidationError({"translation_of": _("A session cannot translate itself.")})
            if original.translation_of_id is not None:
                raise ValidationError(
                    {"translation_of": _("Choose the original session, not a translation.")}
                )
            if original.language == self.language:
                raise ValidationError(
                    {"language": _("A translation is in another language than the original.")}
                )

    def serve(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        # Wagtail has checked the page's private sections; an editor's preview shows a draft.
        if not getattr(request, "is_preview", False) and not self.is_visible_to(ADMITTED):
            raise Http404("This session is not published yet.")
        response = super().serve(request, *args, **kwargs)
        response.headers["Content-Security-Policy"] = live_content_security_policy(request)
        return response

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from . import queries

        context = super().get_context(request, *args, **kwargs)
        context.update(queries.session_page_context(session=self))
        return context

    def get_sitemap_urls(self, request: Any = None) -> list[dict[str, Any]]:
        if not self.is_visible_to(None):
            return []
        return [{"location": self.full_url, "lastmod": self.last_published_at}]


def live_content_security_policy(request: Any) -> str:
    """The public policy, letting the page's script reach the live streams where they are."""
    from urllib.parse import urlsplit

    from dragoman.core.middleware import PUBLIC_CONTENT_SECURITY_POLICY

    sources = ["'self'"]
    explicit = getattr(settings, "DRAGOMAN_LIVE_URL", "")
    port = int(getattr(settings, "DRAGOMAN_LIVE_PORT", 0) or 0)
    if explicit:
        parts = urlsplit(explicit)
        if parts.scheme and parts.netloc:
            sources.append(f"{parts.scheme}://{parts.netloc}")
    elif port:
        host = urlsplit(f"//{request.get_host()}").hostname or "localhost"
        if ":" in host:  # an IPv6 address
            host = f"[{host}]"
        sources.append(f"{request.scheme}://{host}:{port}")
    policy = PUBLIC_CONTENT_SECURITY_POLICY
    if getattr(request, "is_preview", False):
        policy = policy.replace("frame-ancestors 'none'", "frame-ancestors 'self'")
    return f"{policy}; connect-src {' '.join(sources)}"


class SessionOfficial(Orderable):
    """An official (a blogger) answering in a session."""

    session = ParentalKey(QuestionSessionPage, on_delete=models.CASCADE, related_name="officials")
    blogger = models.ForeignKey(
        "blogs.Blogger", verbose_name=_("official"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("blogger")]

    class Meta(Orderable.Meta):
        verbose_name = _("official answering")
        constraints = [
            models.UniqueConstraint(fields=["session", "blogger"], name="session_official_once")
        ]


class Question(models.Model):
    """A reader's question to a session, and the official's answer."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        APPROVED = "approved", _("Approved")
        ANSWERED = "answered", _("Answered")
        DISMISSED = "dismissed", _("Dismissed")

    session = models.ForeignKey(
        QuestionSessionPage, on_delete=models.CASCADE, related_name="questions"
    )
    # Empty: the asker chose to stay anonymous.
    name = models.CharField(_("name"), max_length=80, blank=True)
    body = models.TextField(_("question"), max_length=MAX_QUESTION)
    # The asker's own words, kept when a moderator changed them (the page says "edited").
    original_body = models.TextField(_("original wording"), blank=True)
    body_hash = models.CharField(max_length=64, db_index=True, editable=False)
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # A duplicate merged into another question: dismissed, its votes carried over.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    # The question the official takes next (one per session at most).
    pinned = models.BooleanField(_("pinned"), default=False)
    votes = models.PositiveIntegerField(_("votes"), default=0)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["session", "status"], name="question_by_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["session"],
                condition=models.Q(pinned=True),
                name="question_one_pinned_per_session",
            )
        ]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def edited(self) -> bool:
        return bool(self.original_body)

    @property
    def asker(self) -> str:
        return self.name


class QuestionVote(models.Model):
    """One reader's vote for one question: the reader is a keyed hash of the client, kept
    only while the session runs (``questions-forget-votes`` deletes them after)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(QuestionSessionPage, on_delete=models.CASCADE, related_name="+")
    voter = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "voter"], name="question_vote_once")
        ]

    def __str__(self) -> str:
        return f"vote for question {self.question_id}"


class TranslatedQuestion(Orderable):
    """A question and its answer in a translated transcript's language."""

    page = ParentalKey(
        QuestionSessionPage, on_delete=models.CASCADE, related_name="translated_questions"
    )
    question = models.ForeignKey(
        Question,
        verbose_name=_("question in the original session"),
        on_delete=models.CASCADE,
        related_name="translations",
    )
    body = models.TextField(_("question, translated"), max_length=MAX_QUESTION)
    answer = models.TextField(_("answer, translated"), blank=True)

    panels = [FieldPanel("question"), FieldPanel("body"), FieldPanel("answer")]

    class Meta(Orderable.Meta):
        verbose_name = _("translated question")


class LiveEvent(models.Model):
    """Something open pages must show at once, kept so that a reconnecting stream misses
    nothing: ids only grow, and a stream asks for those after its ``Last-Event-ID``."""

    class Kind(models.TextChoices):
        APPROVED = "approved"  # a question readers may now vote for
        ANSWERED = "answered"
        PINNED = "pinned"  # the question being answered now
        WITHDRAWN = "withdrawn"  # no longer shown (dismissed, merged)
        VOTES = "votes"

    session = models.ForeignKey(QuestionSessionPage, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["session", "id"], name="live_event_by_session")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"
