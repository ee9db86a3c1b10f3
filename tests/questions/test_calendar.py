import pytest
from icalendar import Calendar

from dragoman.questions.calendar import session_ics

pytestmark = pytest.mark.django_db


def test_calendar_file_holds_the_sessions_hour_in_utc(session):
    calendar = Calendar.from_ical(session_ics(session, url="https://example.org/s/"))

    (event,) = calendar.walk("VEVENT")
    # To the second, as calendars keep it.
    assert event.decoded("dtstart") == session.starts_at.replace(microsecond=0)
    assert event.decoded("dtend") == session.ends_at.replace(microsecond=0)
    assert str(event["summary"]) == "Ask the ambassador"
    assert "https://example.org/s/" in str(event["description"])
