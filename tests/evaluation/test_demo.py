import pytest
from django.utils import timezone

from dragoman.evaluation.demo import demo_figures_build
from dragoman.evaluation.models import Figure
from tests.factories import EntryFactory

pytestmark = pytest.mark.django_db


def test_the_demo_network_has_figures_to_show():
    entry = EntryFactory()

    demo_figures_build(now=timezone.now(), report=lambda _line: None)

    assert Figure.objects.filter(metric="view", entry_id=entry.pk).exists()
    assert Figure.objects.filter(metric="search_empty").exists()
    assert Figure.objects.filter(metric="subscribers", value="Feedly").exists()
