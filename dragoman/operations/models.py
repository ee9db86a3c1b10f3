"""What operating the site stores in its database: the claims of periodic jobs."""

from django.db import models
from django.utils import timezone


class ScheduledRun(models.Model):
    """One periodic job's run in one period, claimed by the scheduler that runs it.

    With a scheduler beside each app server, the first to insert (command, period) runs the
    job; the others meet the unique constraint and skip it (``locks.py``)."""

    command = models.CharField(max_length=100)
    # Seconds since the epoch // the job's interval: every machine numbers periods alike.
    period = models.BigIntegerField()
    claimed_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Host and process that ran it, for the operator reading the table.
    claimed_by = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["command", "period"], name="scheduled_run_once")
        ]

    def __str__(self) -> str:
        return f"{self.command} #{self.period} ({self.claimed_by})"
