"""The digital team's dashboard: SVG charts beside their tables, CSV, the monthly report."""

import csv
import io

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.utils import timezone

from dragoman.evaluation.models import Figure
from tests.factories import EntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_member(django_user_model):
    user = django_user_model.objects.create_user("team", "team@example.org", "pw")
    user.groups.add(Group.objects.get(name="Digital team"))
    return user


@pytest.fixture
def figures():
    entry = EntryFactory(title="Garden party")
    blog = entry.get_parent().specific
    today = timezone.localdate()
    key = {"entry_id": entry.pk, "blog_id": blog.pk, "mission_id": blog.mission_id}
    for dimension, value, count in [
        ("", "", 12),
        ("language", "en", 12),
        ("device", "mobile", 5),
        ("device", "desktop", 7),
        ("referrer", "example.org", 3),
    ]:
        Figure.objects.create(
            day=today, metric="view", dimension=dimension, value=value, count=count, **key
        )
    Figure.objects.create(
        day=today, metric="excluded", dimension="reason", value="robot", count=4, **key
    )
    Figure.objects.create(day=today, metric="search", dimension="query", value="=cmd", count=2)
    return entry, blog


def test_the_dashboard_shows_each_figure_as_a_chart_and_a_table(client, team_member, figures):
    _entry, _blog = figures
    client.force_login(team_member)

    response = client.get("/admin/evaluation/")

    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    devices = page.select_one("#figure-devices").find_parent("section")
    chart = devices.select_one("svg[role=img]")
    assert chart.title.text == "Page views by device"
    assert "desktop" not in chart.desc.text  # labels are the people's words
    assert "computer" in chart.desc.text
    cells = [th.text.strip() for th in devices.select("tbody th")]
    assert cells == ["computer", "phone"]
    assert "12 page views by people" in page.text
    assert "4 requests" in page.text
    assert "Garden party" in page.select_one("#figure-entries").find_parent("section").text


def test_the_dashboard_of_a_mission_blog_and_entry(client, team_member, figures):
    entry, blog = figures
    client.force_login(team_member)
    for query in (f"mission={blog.mission_id}", f"blog={blog.pk}", f"entry={entry.pk}"):
        response = client.get(f"/admin/evaluation/?{query}")
        assert response.status_code == 200, query
        assert b"12 page views" in response.content
    assert client.get("/admin/evaluation/?entry=999999").status_code == 404
    bad = client.get("/admin/evaluation/?start=2026-12-06&end=2026-01-01")
    assert bad.status_code == 400
    assert b"must start before it ends" in bad.content


def test_the_figures_as_csv_quote_formulas(client, team_member, figures):
    client.force_login(team_member)

    response = client.get("/admin/evaluation/?format=csv")

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["devices", "phone", "5"] in rows
    assert ["searches", "'=cmd", "2"] in rows


def test_only_the_digital_team_reads_the_figures(client, django_user_model, figures):
    user = django_user_model.objects.create_user("blogger", "b@example.org", "pw")
    client.force_login(user)
    assert client.get("/admin/evaluation/").status_code in (302, 403)


def test_the_monthly_report_prints(client, team_member, figures):
    _entry, blog = figures
    client.force_login(team_member)
    today = timezone.localdate()

    response = client.get(f"/admin/evaluation/report/{blog.mission_id}/{today.year}/{today.month}/")

    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select("svg[role=img] title")
    assert "12 page views" in page.text
    assert client.get(f"/admin/evaluation/report/{blog.mission_id}/2026/13/").status_code == 404
