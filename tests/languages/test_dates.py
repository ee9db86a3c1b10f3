"""The Persian (Solar Hijri) date beside the Gregorian one on Persian pages."""

from datetime import UTC, datetime

import pytest

from dragoman.core.languages import solar_date
from tests.factories import EntryFactory


def test_solar_date_is_written_in_persian_words_and_digits():
    assert solar_date(datetime(2026, 11, 25, 12, tzinfo=UTC)) == "۴ آذر ۱۴۰۵"


def test_solar_new_year_falls_on_the_march_equinox():
    assert solar_date(datetime(2025, 3, 21, 12, tzinfo=UTC)) == "۱ فروردین ۱۴۰۴"


@pytest.mark.django_db
def test_persian_page_shows_both_dates_and_other_pages_only_the_gregorian(client):
    entry = EntryFactory(language="fa", date=datetime(2025, 11, 25, 12, tzinfo=UTC))
    path = entry.reader_path()

    persian = client.get(path).content.decode()
    english = client.get(path.removeprefix("/fa")).content.decode()

    assert path.startswith("/fa/")
    assert "۴ آذر ۱۴۰۴" in persian
    assert 'datetime="2025-11-25T12:00:00+00:00"' in persian
    assert "۴ آذر ۱۴۰۴" not in english
    assert "Nov. 25, 2025" in english
