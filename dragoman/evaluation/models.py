"""What is counted, without tracking anyone (``docs/privacy.md`` says exactly what).

``Figure`` holds counts only: how many views, readers, feed fetches, shares, searches a day
(or a month, once older than two years) per entry, blog and mission, by one dimension at a
time (language, referrer's domain, device class...). No address, no user agent, no cookie.

The only things that stand for one reader, ``ReaderMark`` (a keyed hash of address and user
agent, with the day's ``DailySalt``), live for the day they count: when the day is over, the
marks become one number per page and are deleted with the salt, so yesterday's readers cannot
be recognised again, not even by us.

Entries, blogs and missions are kept by their keys, with no foreign key: a figure outlives a
deleted entry, and counting never waits on a lock of the page tree.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Metric(models.TextChoices):
    VIEW = "view", _("page views")
    READERS = "readers", _("daily readers")
    EXCLUDED = "excluded", _("excluded requests")
    FEED = "feed", _("feed fetches")
    SUBSCRIBERS = "subscribers", _("feed subscribers reported")
    SHARE = "share", _("share-link clicks")
    SEARCH = "search", _("searches")
    SEARCH_EMPTY = "search_empty", _("searches with no result")


class Dimension(models.TextChoices):
    TOTAL = "", _("total")
    LANGUAGE = "language", _("language")
    REFERRER = "referrer", _("referrer")
    DEVICE = "device", _("device")
    REASON = "reason", _("reason")
    READER = "reader", _("feed reader")
    NETWORK = "network", _("social network")
    QUERY = "query", _("words searched")
    SESSION = "session", _("question session")


class Period(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")


class Figure(models.Model):
    """A count of one day (or month) for one entry, blog or mission (0: none, the network).

    Written in batches, append-only, so that processes never wait on each other; the rows of
    a day are summed into one per key when the day is closed (``services.day_close``).
    """

    day = models.DateField(_("day"))
    period = models.CharField(_("period"), max_length=5, choices=Period.choices, default="day")
    metric = models.CharField(_("metric"), max_length=20, choices=Metric.choices)
    entry_id = models.BigIntegerField(_("entry"), default=0)
    blog_id = models.BigIntegerField(_("blog"), default=0)
    mission_id = models.BigIntegerField(_("mission"), default=0)
    dimension = models.CharField(
        _("dimension"), max_length=20, choices=Dimension.choices, blank=True, default=""
    )
    value = models.CharField(_("value"), max_length=200, blank=True, default="")
    count = models.BigIntegerField(_("count"))

    class Meta:
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        indexes = [
            models.Index(fields=["metric", "day"], name="evaluation_metric_day"),
            models.Index(fields=["mission_id", "day"], name="evaluation_mission_day"),
            models.Index(fields=["blog_id", "day"], name="evaluation_blog_day"),
            models.Index(fields=["entry_id", "day"], name="evaluation_entry_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.metric} {self.dimension}={self.value}: {self.count}"


class DailySalt(models.Model):
    """The secret mixed into the day's reader hashes; deleted once the day is over."""

    day = models.DateField(_("day"), unique=True)
    salt = models.CharField(_("salt"), max_length=64)

    class Meta:
        verbose_name = _("daily salt")
        verbose_name_plural = _("daily salts")

    def __str__(self) -> str:
        return str(self.day)


class ReaderMark(models.Model):
    """One reader seen today on one scope (``network``, ``mission:3``, ``blog:5``,
    ``entry:42``), as a salted hash; deleted when the day is closed."""

    day = models.DateField(_("day"))
    scope = models.CharField(_("scope"), max_length=40)
    digest = models.CharField(_("digest"), max_length=32)

    class Meta:
        verbose_name = _("reader mark")
        verbose_name_plural = _("reader marks")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "scope", "digest"], name="evaluation_one_mark_per_reader"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.scope}"


class MonthlyReport(models.Model):
    """A mission's monthly report, sent once (the scheduler may run the job many times)."""

    mission_id = models.BigIntegerField(_("mission"))
    month = models.DateField(_("month"))
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [
            models.UniqueConstraint(
                fields=["mission_id", "month"], name="evaluation_one_report_a_month"
            )
        ]
        permissions = [("view_figures", _("Can read the evaluation figures"))]

    def __str__(self) -> str:
        return f"{self.mission_id} {self.month:%Y-%m}"
