"""`dragoman backup` and `dragoman restore`: a copy taken while comments are being written
restores, on another machine (another folder), into the same site."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dragoman.operations import backups
from tests.operations.sites import ROOT, dragoman, site_copy, site_env, site_snapshot

WRITER = r"""
import sys, time
from pathlib import Path
import django
django.setup()
from dragoman.blogs.models import EntryPage
from dragoman.conversations.models import BlogConversationSettings
from dragoman.conversations.services import comment_submit

stop = Path(sys.argv[1])
entries = [(e, e.get_parent().specific) for e in EntryPage.objects.live().order_by("pk")]
written = 0
deadline = time.monotonic() + 120
while not stop.exists() and time.monotonic() < deadline:
    entry, blog = entries[written % len(entries)]
    comment_submit(
        entry=entry, blog=blog, name=f"Reader {written}", body=f"Comment number {written}.",
        mode=BlogConversationSettings.Mode.POST_MODERATION,
    )
    written += 1
print(written)
"""


def comment_ids(data_dir: Path) -> list[int]:
    db = sqlite3.connect(data_dir / "dragoman.sqlite3", timeout=30)
    try:
        return [row[0] for row in db.execute("SELECT id FROM conversations_comment ORDER BY id")]
    finally:
        db.close()


def test_a_backup_taken_while_comments_are_written_restores_the_same_site(built_site, tmp_path):
    site = site_copy(built_site, tmp_path / "site")
    env = site_env(site)
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(stop)],
        env={**env, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while len(comment_ids(site)) < 10:
            assert writer.poll() is None, "the writer stopped"
            assert time.monotonic() < deadline, "the writer wrote nothing"
            time.sleep(0.2)

        output = dragoman(env, "backup", "--to", str(tmp_path / "backups"))

        written_during = len(comment_ids(site))
        time.sleep(1)  # and writes go on after it
    finally:
        stop.touch()
        writer.wait(timeout=60)
    assert "Backed up to" in output
    assert len(comment_ids(site)) > written_during
    elsewhere = tmp_path / "elsewhere"
    restored_env = site_env(elsewhere)

    dragoman(restored_env, "restore", "--from", str(tmp_path / "backups"))

    restored_ids = comment_ids(elsewhere)
    # One moment's copy: the comments up to one, none missing in between, none after.
    assert restored_ids == list(range(1, len(restored_ids) + 1))
    assert 10 <= len(restored_ids) < len(comment_ids(site))
    # The original brought back to that moment (the later comments removed) is the same
    # site as the restored one: every page, count, search answer and the admin.
    db = sqlite3.connect(site / "dragoman.sqlite3", timeout=30)
    with db:
        db.execute("DELETE FROM conversations_comment WHERE id > ?", (restored_ids[-1],))
    db.close()
    original = site_snapshot(site, "embassy", "the")
    restored = site_snapshot(elsewhere, "embassy", "the")
    assert len(original["pages"]) > 30
    assert sum(original["counts"].values()) == len(restored_ids)
    assert restored["counts"] == original["counts"]
    different = [p for p in original["pages"] if original["pages"][p] != restored["pages"].get(p)]
    assert different == []
    assert restored["pages"].keys() == original["pages"].keys()
    assert restored["search"] == original["search"]
    assert restored["admin"] == {"/admin/": 200, "/admin/pages/": 200}


def test_verify_names_a_damaged_file(built_site, tmp_path):
    env = site_env(site_copy(built_site, tmp_path / "site"))
    dragoman(env, "backup", "--to", str(tmp_path / "backups"))
    assert "verifies" in dragoman(env, "backup", "--to", str(tmp_path / "backups"), "--verify")
    (backup,) = (tmp_path / "backups").iterdir()
    with (backup / "database.sqlite3").open("r+b") as stream:
        stream.seek(5000)
        stream.write(b"\xff" * 16)

    output = dragoman(env, "backup", "--to", str(tmp_path / "backups"), "--verify", check=False)

    assert "database.sqlite3 does not match its checksum" in output


def test_the_manifest_names_versions_migrations_and_every_file(built_site, tmp_path):
    env = site_env(site_copy(built_site, tmp_path / "site"))
    dragoman(env, "backup", "--to", str(tmp_path / "backups"))
    (backup,) = (tmp_path / "backups").iterdir()

    manifest = json.loads((backup / "manifest.json").read_text())

    assert set(manifest["versions"]) == {"dragoman", "django", "wagtail", "python"}
    assert "0001_scheduled_run" in manifest["migrations"]["operations"]
    assert [item["path"] for item in manifest["files"]] == ["database.sqlite3"]
    assert manifest["files"][0]["size"] == (backup / "database.sqlite3").stat().st_size
    assert manifest["database"]["rows"]["wagtailcore_page"] > 8


def test_restore_refuses_a_machine_that_already_holds_a_site(built_site, tmp_path):
    env = site_env(site_copy(built_site, tmp_path / "site"))
    dragoman(env, "backup", "--to", str(tmp_path / "backups"))

    output = dragoman(env, "restore", "--from", str(tmp_path / "backups"), check=False)

    assert "already holds pages" in output


def test_members_only_files_are_backed_up_and_restored(built_site, tmp_path):
    # A community's attachments, images and documents live outside the media storage
    # (DRAGOMAN_COMMUNITY_FILES_ROOT, by default in the data folder), so no public address
    # serves them: a backup that copied only the media would lose them.
    site = site_copy(built_site, tmp_path / "site")
    kept = {
        "attachments/1/minutes.pdf": b"%PDF-1.4 minutes of the alumni meeting",
        "media/original_images/members-only-reunion.jpg": b"\xff\xd8\xff reunion",
    }
    for name, content in kept.items():
        path = site / "community-files" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    dragoman(site_env(site), "backup", "--to", str(tmp_path / "backups"))
    (backup,) = (tmp_path / "backups").iterdir()
    listed = {item["path"] for item in json.loads((backup / "manifest.json").read_text())["files"]}
    elsewhere = tmp_path / "elsewhere"

    dragoman(site_env(elsewhere), "restore", "--from", str(tmp_path / "backups"))

    assert {f"{backups.PRIVATE_FOLDER}/{name}" for name in kept} <= listed
    for name, content in kept.items():
        assert (elsewhere / "community-files" / name).read_bytes() == content
    assert not (elsewhere / "media" / "original_images" / "members-only-reunion.jpg").exists()


def names_at(*times: datetime) -> list[str]:
    return [backups.PREFIX + when.strftime(backups.TIME_FORMAT) for when in times]


def test_retention_keeps_the_newest_of_each_day_and_week():
    start = datetime(2026, 11, 1, 3, 0, tzinfo=UTC)  # a Sunday
    names = names_at(*(start + timedelta(hours=12 * n) for n in range(40)))  # 20 days, 2 a day

    kept = backups.backups_to_keep(names, keep_daily=3, keep_weekly=2)

    newest = sorted(names)[-1]
    assert newest in kept
    days = {backups.backup_time(name).date() for name in kept}
    assert len(kept) == 4  # 3 days, and the newest of the week before (2 weeks in all)
    assert len(days) == 4
    assert all(backups.backup_time(name).hour == 15 for name in kept)  # each day's newest


def test_backup_prunes_by_retention(built_site, tmp_path):
    env = site_env(site_copy(built_site, tmp_path / "site"))
    old = tmp_path / "backups" / "dragoman-20200101T000000Z"
    old.mkdir(parents=True)
    (old / "manifest.json").write_text("{}")

    output = dragoman(env, "backup", "--to", str(tmp_path / "backups"), "--keep-daily", "1")

    assert "Removed dragoman-20200101T000000Z (retention)." in output
    assert len(list((tmp_path / "backups").iterdir())) == 1


@pytest.mark.parametrize("option", ["--keep-daily", "--keep-weekly"])
def test_retention_refuses_a_negative_number(built_site, tmp_path, option):
    env = site_env(site_copy(built_site, tmp_path / "site"))

    output = dragoman(env, "backup", "--to", str(tmp_path / "b"), option, "-1", check=False)

    assert "0 or more" in output
