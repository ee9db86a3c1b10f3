"""The monthly report: on the first day, to the mission's editors, once."""

from datetime import date

import pytest
from django.core import mail

from dragoman.evaluation import reports
from dragoman.evaluation.models import Figure, MonthlyReport
from tests.factories import BlogFactory

pytestmark = pytest.mark.django_db


def test_each_missions_report_goes_to_its_editors_on_the_first_day_once(django_user_model):
    blog = BlogFactory()
    blogger = blog.bloggers.first()
    blogger.user = django_user_model.objects.create_user("editor", "editor@example.org", "pw")
    blogger.mission = blog.mission
    blogger.save()
    Figure.objects.create(
        day=date(2026, 11, 14), metric="view", blog_id=blog.pk, mission_id=blog.mission_id, count=42
    )

    assert reports.monthly_reports_send(today=date(2026, 12, 2)) == []
    sent = reports.monthly_reports_send(today=date(2026, 12, 1))
    again = reports.monthly_reports_send(today=date(2026, 12, 1))

    assert [mission.pk for mission in sent] == [blog.mission_id]
    assert again == []
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["editor@example.org"]
    assert "2026-11" in message.subject
    assert "42 page views" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert "<svg" in html
    assert MonthlyReport.objects.get().month == date(2026, 11, 1)
