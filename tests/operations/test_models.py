"""A periodic job's claim is made once per job and period (the database says so)."""

import pytest
from django.db import IntegrityError, transaction

from dragoman.operations.models import ScheduledRun


@pytest.mark.django_db
def test_a_job_and_period_can_be_claimed_once():
    ScheduledRun.objects.create(command="publish-scheduled", period=5, claimed_by="a:1")

    with pytest.raises(IntegrityError), transaction.atomic():
        ScheduledRun.objects.create(command="publish-scheduled", period=5, claimed_by="b:2")

    assert str(ScheduledRun.objects.get()) == "publish-scheduled #5 (a:1)"
