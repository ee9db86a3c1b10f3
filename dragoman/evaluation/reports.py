"""The monthly report: each mission's figures for the past month, emailed to its editors on
the first day of the next (``evaluation-monthly-reports``, run by the scheduler)."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dragoman.missions.models import Mission

from . import queries, services

logger = logging.getLogger(__name__)


def previous_month(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def report_text(board: queries.Dashboard) -> str:
    lines = [
        _(
            "%(views)s page views by people; %(excluded)s requests not counted (robots, previews, HEAD)."
        )
        % {"views": board.views, "excluded": board.excluded},
        "",
    ]
    for section in board.sections:
        if not section.rows:
            continue
        lines.append(str(section.title))
        for row in section.rows:
            lines.append("  " + " · ".join(str(cell) for cell in row))
        lines.append("")
    return "\n".join(lines)


def mission_report_send(*, mission: Mission, month: date) -> bool:
    """Email one mission's report for a month to its editors, once. False if already sent or
    nobody to send it to."""
    recipients = queries.report_recipients(mission=mission)
    if not recipients:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        board = queries.mission_report(mission=mission, month=month)
        subject = _("%(name)s: figures for %(month)s") % {
            "name": mission.name,
            "month": f"{month:%Y-%m}",
        }
        html = render_to_string(
            "evaluation/report.html", {"board": board, "mission": mission, "month": month}
        )
        text = report_text(board)

    def send() -> None:
        message = EmailMultiAlternatives(subject, text, to=recipients)
        message.attach_alternative(html, "text/html")
        message.send()

    return services.report_send(
        mission_id=mission.pk, month=month, recipients=recipients, send=send
    )


def monthly_reports_send(*, today: date | None = None, force: bool = False) -> list[Mission]:
    """On the first day of a month (or when forced), send every mission's report of the month
    before; a report already sent is not sent again."""
    today = today or timezone.localdate()
    if today.day != 1 and not force:
        return []
    month = previous_month(today)
    sent = []
    for mission in Mission.objects.order_by("name"):
        try:
            if mission_report_send(mission=mission, month=month):
                sent.append(mission)
        except Exception:
            logger.exception(
                "The monthly report of %s was not sent; tried again next hour.", mission
            )
    return sent
