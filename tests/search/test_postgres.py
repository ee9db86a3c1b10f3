"""PostgreSQL full text: each entry stemmed in its own language, queries in the filtered one."""

import pytest
from django.db import connection

from dragoman.search.engines.postgres import TEXT_SEARCH_CONFIGS, query_configs
from dragoman.search.models import EntryDocument
from tests.factories import EntryFactory

from .pages import result_titles

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's stemmers answer only on PostgreSQL"
)


def test_each_entry_is_indexed_with_its_own_language_s_configuration(db):
    EntryFactory(title="Consular hours", language="en")
    EntryFactory(title="Часы работы консульства", language="ru")
    EntryFactory(title="ساعات کاری کنسولگری", language="fa")

    configs = dict(EntryDocument.objects.values_list("language", "text_config"))

    # Persian has no stemmer in PostgreSQL: 'simple' lower-cases and nothing more.
    assert configs == {"en": "english", "ru": "russian", "fa": "simple"}


def test_a_language_filter_queries_with_that_language_s_configuration_only():
    assert query_configs("ru") == ["russian", "simple"]
    assert query_configs("fa") == ["simple"]
    assert "russian" in query_configs(None) and "french" in query_configs(None)


@on_postgres
def test_every_configuration_named_exists_on_the_server(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config")
        available = {name for (name,) in cursor}

    assert set(TEXT_SEARCH_CONFIGS.values()) <= available


@on_postgres
def test_an_entry_is_found_by_another_form_of_its_words_in_its_own_language(client, db):
    EntryFactory(title="Посольства открыли двери", summary="День открытых дверей.", language="ru")

    assert result_titles(client, q="посольство") == ["Посольства открыли двери"]
    assert result_titles(client, q="посольство", language="ru") == ["Посольства открыли двери"]
