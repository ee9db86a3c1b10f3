"""The dashboard's figures: readers never added across scopes, today's from the marks."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dragoman.evaluation import queries
from dragoman.evaluation.models import Figure, ReaderMark

pytestmark = pytest.mark.django_db


def test_readers_of_a_scope_are_its_own_and_today_counts_the_marks():
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    Figure.objects.create(day=yesterday, metric="readers", count=10)  # the network
    Figure.objects.create(day=yesterday, metric="readers", mission_id=3, count=4)
    Figure.objects.create(day=yesterday, metric="readers", mission_id=3, blog_id=5, count=3)
    Figure.objects.create(day=yesterday, metric="view", mission_id=3, blog_id=5, count=30)
    Figure.objects.create(
        day=yesterday, metric="excluded", dimension="reason", value="robot", count=10
    )
    ReaderMark.objects.create(day=today, scope="network", digest="a" * 32)

    network = queries.dashboard(scope=queries.Scope("network"), start=yesterday, end=today)
    mission = queries.dashboard(scope=queries.Scope("mission", 3), start=yesterday, end=today)

    network_days = {row[0]: row[1:] for row in network.sections[0].rows}
    assert network_days[yesterday.isoformat()] == [30, 10]
    assert network_days[today.isoformat()] == [0, 1]
    mission_days = {row[0]: row[1:] for row in mission.sections[0].rows}
    assert mission_days[yesterday.isoformat()] == [30, 4]
    assert network.views == 30
    assert network.excluded_share == pytest.approx(10 / 40)
