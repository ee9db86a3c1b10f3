"""Retention: daily figures kept two years, then rolled into months; rows of a day summed."""

from datetime import date, timedelta

import pytest
from django.db.models import Sum

from dragoman.evaluation import services
from dragoman.evaluation.models import Figure, MonthlyReport

pytestmark = pytest.mark.django_db


def figure(day, count, **fields):
    defaults = {"metric": "view", "dimension": "", "value": ""}
    return Figure.objects.create(day=day, count=count, **{**defaults, **fields})


def test_daily_figures_older_than_two_years_become_months():
    today = date(2026, 12, 6)
    old = date(2024, 11, 3)  # more than 730 days before
    figure(old, 5, entry_id=1)
    figure(old + timedelta(days=1), 7, entry_id=1)
    figure(old, 2, entry_id=2)
    figure(old, 40, metric="subscribers", dimension="reader", value="Feedly")
    figure(old + timedelta(days=2), 45, metric="subscribers", dimension="reader", value="Feedly")
    recent = figure(today - timedelta(days=3), 9, entry_id=1)

    months = services.figures_roll_up(today=today)

    assert months == [date(2024, 11, 1)]
    monthly = Figure.objects.filter(period="month")
    assert {(f.entry_id, f.metric, f.count) for f in monthly} == {
        (1, "view", 12),
        (2, "view", 2),
        (0, "subscribers", 45),  # the highest reported, not a sum
    }
    assert all(f.day == date(2024, 11, 1) for f in monthly)
    assert Figure.objects.filter(period="day").get() == recent


def test_closing_a_day_sums_its_rows_into_one_per_key():
    day = date(2026, 12, 1)
    figure(day, 3, entry_id=1)
    figure(day, 4, entry_id=1)
    figure(day, 1, entry_id=1, dimension="device", value="mobile")

    services.day_close(day=day)

    assert Figure.objects.count() == 2
    assert Figure.objects.filter(dimension="").get().count == 7
    assert Figure.objects.aggregate(n=Sum("count"))["n"] == 8


def test_a_report_is_sent_once_and_not_marked_when_sending_fails():
    month = date(2026, 11, 1)
    sent = []

    def failing():
        raise OSError("mail server away")

    with pytest.raises(OSError):
        services.report_send(mission_id=1, month=month, recipients=["a@example.org"], send=failing)
    assert not MonthlyReport.objects.exists()

    assert services.report_send(
        mission_id=1, month=month, recipients=["a@example.org"], send=lambda: sent.append(1)
    )
    assert not services.report_send(
        mission_id=1, month=month, recipients=["a@example.org"], send=lambda: sent.append(2)
    )
    assert sent == [1]
