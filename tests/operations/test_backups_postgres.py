"""`dragoman backup` and `restore` on PostgreSQL: pg_dump's custom format into another,
empty database."""

from __future__ import annotations

import shutil
import socket
import uuid

import pytest

from tests.operations.sites import dragoman, python, site_env

PG = ("127.0.0.1", 5432)


def postgres_available() -> bool:
    try:
        with socket.create_connection(PG, timeout=1):
            return True
    except OSError:
        return False


pytestmark = [
    pytest.mark.skipif(not postgres_available(), reason="no PostgreSQL on 127.0.0.1:5432"),
    pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed"),
]

COUNTS = r"""
import django
django.setup()
from wagtail.models import Page
from django.contrib.auth.models import User
print(Page.objects.count(), User.objects.filter(username="editor").count())
"""


@pytest.fixture
def databases():
    import psycopg

    names = [f"dragoman_ops_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        for name in names:
            db.execute(f'CREATE DATABASE "{name}"')
    yield [f"postgres://postgres@127.0.0.1:5432/{name}" for name in names]
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        for name in names:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_postgresql_site_restores_into_another_database(databases, tmp_path):
    first, second = databases
    env = site_env(tmp_path / "site", DATABASE_URL=first)
    dragoman(env, "seed", "--entries", "3", "--random-seed", "3", "--no-progress", "--plain")
    dragoman(
        env, "createsuperuser", "--noinput", "--username", "editor", "--email", "e@example.org"
    )
    before = python(env, COUNTS).strip().splitlines()[-1]

    made = dragoman(env, "backup", "--to", str(tmp_path / "backups"))
    verified = dragoman(env, "backup", "--to", str(tmp_path / "backups"), "--verify")
    restored_env = site_env(tmp_path / "elsewhere", DATABASE_URL=second)
    dragoman(restored_env, "restore", "--from", str(tmp_path / "backups"))

    assert "Backed up to" in made and "verifies" in verified
    (backup,) = (tmp_path / "backups").iterdir()
    assert (backup / "database.pgdump").stat().st_size > 0
    assert python(restored_env, COUNTS).strip().splitlines()[-1] == before
