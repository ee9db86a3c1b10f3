import pytest
from django.db import IntegrityError

from dragoman.migration.models import SourceItem

pytestmark = pytest.mark.django_db


def test_a_source_item_is_remembered_once_per_source_kind_and_identifier():
    SourceItem.objects.create(source="wordpress:a", kind="entry", source_id="1", target_id=5)
    SourceItem.objects.create(source="wordpress:b", kind="entry", source_id="1", target_id=6)

    with pytest.raises(IntegrityError):
        SourceItem.objects.create(source="wordpress:a", kind="entry", source_id="1", target_id=7)
