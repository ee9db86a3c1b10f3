"""A session as a calendar file (.ics), written with the `icalendar` library (RFC 5545)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from .models import QuestionSessionPage


def session_ics(session: QuestionSessionPage, *, url: str) -> bytes:
    """One event: the session's hour, in UTC (every calendar converts it to its reader's)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Dragoman//question sessions//EN")
    calendar.add("version", "2.0")
    event = Event()
    host = settings.BASE_URL.split("//")[-1].split("/")[0] or "dragoman"
    event.add("uid", f"question-session-{session.pk}@{host}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", session.title)
    event.add("description", f"{session.summary}\n\n{url}")
    event.add("url", url)
    calendar.add_component(event)
    return bytes(calendar.to_ical())
