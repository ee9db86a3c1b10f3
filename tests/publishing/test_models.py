"""Publishing keeps nothing in the database: the page cache lives in the cache, and what an
entry's change must refresh is the blogs' record (tests/blogs/test_models.py)."""

from django.apps import apps


def test_publishing_has_no_table_of_its_own():
    models = list(apps.get_app_config("publishing").get_models())

    assert models == []
