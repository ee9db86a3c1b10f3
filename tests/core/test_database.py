"""The database connection's settings: PostgreSQL without Memoize (see settings.py)."""

import os
import subprocess
import sys

import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgresql_plans_without_memoize(db):
    if connection.vendor != "postgresql":
        pytest.skip("Memoize is PostgreSQL's: this suite runs on SQLite")
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_memoize")
        assert cursor.fetchone()[0] == "off"


def test_a_database_address_s_own_options_are_kept(tmp_path):
    script = (
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['OPTIONS']['options'])"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dragoman.settings",
        "DRAGOMAN_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://u@127.0.0.1:5432/d?options=-c%20statement_timeout%3D5000",
    }
    options = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert options == "-c statement_timeout=5000 -c enable_memoize=off"
