from datetime import date

import pytest
from django.db import IntegrityError

from dragoman.evaluation.models import ReaderMark

pytestmark = pytest.mark.django_db


def test_a_reader_is_marked_once_a_day_per_scope():
    ReaderMark.objects.create(day=date(2026, 12, 6), scope="network", digest="a" * 32)
    with pytest.raises(IntegrityError):
        ReaderMark.objects.create(day=date(2026, 12, 6), scope="network", digest="a" * 32)
