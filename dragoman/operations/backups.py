"""Backups of a running site, their verification, retention, and restoring one elsewhere.

A backup is a folder named `dragoman-<UTC time>` holding the database, the media and a
`manifest.json` (versions, applied migrations, and each file's size and sha256), in a folder
or under an s3:// prefix. It is taken while the site serves:

- SQLite: the online backup API (`sqlite3.Connection.backup`), in one step, which copies the
  database as one transaction saw it; writers go on (WAL) and no half-written state is copied.
- PostgreSQL: `pg_dump` in its custom format, which reads one snapshot.
- Media: copied through the site's storage (a folder or S3) after the database, so every file
  the copied database names was there when it was copied (uploads are never rewritten).
- Members-only files (`DRAGOMAN_COMMUNITY_FILES_ROOT`: a community's attachments, images and
  documents), which are kept outside the media storage so that no public address serves them:
  copied from their folder, after the database too.

A backup is complete when its manifest is there: the manifest is written last, and a folder
is renamed into place only when whole.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import platform
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

from . import s3

logger = logging.getLogger(__name__)

PREFIX = "dragoman-"
TIME_FORMAT = "%Y%m%dT%H%M%SZ"
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"
MEDIA_FOLDER = "media"
PRIVATE_FOLDER = "members-only"
FORMAT_VERSION = 1


class BackupError(Exception):
    """A backup cannot be made, verified or restored; the message says why, for a person."""


# Where backups live: a folder or an S3 prefix ---------------------------------------------------
class Target:
    """The backups at one place: list them, put one there, fetch one, delete one."""

    def names(self) -> list[str]:
        raise NotImplementedError

    def put(self, name: str, folder: Path) -> None:
        raise NotImplementedError

    def fetch(self, name: str, into: Path) -> Path:
        raise NotImplementedError

    def delete(self, name: str) -> None:
        raise NotImplementedError

    def describe(self, name: str) -> str:
        raise NotImplementedError


class FolderTarget(Target):
    def __init__(self, root: Path) -> None:
        self.root = root

    def names(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(
            path.name
            for path in self.root.iterdir()
            if path.name.startswith(PREFIX) and (path / MANIFEST).is_file()
        )

    def put(self, name: str, folder: Path) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        partial = self.root / f".{name}.partial"
        if folder != partial:
            shutil.copytree(folder, partial)
        partial.rename(self.root / name)  # whole, or not there at all

    def staging(self, name: str) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        return self.root / f".{name}.partial"

    def fetch(self, name: str, into: Path) -> Path:
        return self.root / name  # read in place

    def delete(self, name: str) -> None:
        shutil.rmtree(self.root / name)

    def describe(self, name: str) -> str:
        return str(self.root / name)


class S3Target(Target):
    def __init__(self, location: s3.S3Location) -> None:
        self.location = location
        self.client = s3.s3_client(location)

    def _keys(self, prefix: str) -> Iterator[str]:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.location.bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                yield item["Key"]

    def names(self) -> list[str]:
        base = self.location.key() + "/" if self.location.prefix else ""
        found = set()
        for key in self._keys(base + PREFIX):
            name, _, rest = key[len(base) :].partition("/")
            if rest == MANIFEST:
                found.add(name)
        return sorted(found)

    def put(self, name: str, folder: Path) -> None:
        files = sorted(path for path in folder.rglob("*") if path.is_file())
        # The manifest last: a backup without one is incomplete and never listed.
        files.sort(key=lambda path: path.name == MANIFEST and path.parent == folder)
        for path in files:
            key = self.location.key(name, path.relative_to(folder).as_posix())
            self.client.upload_file(str(path), self.location.bucket, key)

    def fetch(self, name: str, into: Path) -> Path:
        base = self.location.key(name) + "/"
        for key in self._keys(base):
            local = into / name / key[len(base) :]
            local.parent.mkdir(parents=True, exist_ok=True)
            self.client.download_file(self.location.bucket, key, str(local))
        return into / name

    def delete(self, name: str) -> None:
        keys = list(self._keys(self.location.key(name) + "/"))
        for start in range(0, len(keys), 1000):
            self.client.delete_objects(
                Bucket=self.location.bucket,
                Delete={"Objects": [{"Key": key} for key in keys[start : start + 1000]]},
            )

    def describe(self, name: str) -> str:
        return f"s3://{self.location.bucket}/{self.location.key(name)}"


def target_for(address: str) -> Target:
    if s3.is_s3(address):
        try:
            return S3Target(s3.s3_location(address))
        except ValueError as error:
            raise BackupError(str(error)) from error
    return FolderTarget(Path(address).expanduser().resolve())


# Making one ---------------------------------------------------------------------------------------
def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def database_engine() -> str:
    vendor = connections["default"].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups know SQLite and PostgreSQL, not {vendor}.")
    return vendor


def postgres_environment() -> dict[str, str]:
    """libpq's variables for the default database, so no password is on a command line."""
    db = settings.DATABASES["default"]
    values = {
        "PGHOST": db.get("HOST") or "",
        "PGPORT": str(db.get("PORT") or ""),
        "PGUSER": db.get("USER") or "",
        "PGPASSWORD": db.get("PASSWORD") or "",
        "PGDATABASE": db["NAME"],
    }
    return {**os.environ, **{name: value for name, value in values.items() if value}}


def postgres_tool(name: str) -> str:
    """The full path of pg_dump or pg_restore (PostgreSQL's client package)."""
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return found


def sqlite_copy(source: Path, destination: Path) -> None:
    """Copy a live SQLite database with the online backup API, as one consistent snapshot."""
    source_db = sqlite3.connect(source, timeout=60)
    target_db = sqlite3.connect(destination)
    try:
        with target_db:
            source_db.backup(target_db)  # pages=-1: in one step, one read transaction
        # The copy is one self-contained file, whatever journal the live one keeps.
        target_db.execute("PRAGMA journal_mode=DELETE")
    finally:
        target_db.close()
        source_db.close()


def database_dump(folder: Path) -> Path:
    if database_engine() == "sqlite":
        path = folder / SQLITE_FILE
        sqlite_copy(Path(settings.DATABASES["default"]["NAME"]), path)
        return path
    path = folder / POSTGRES_FILE
    result = subprocess.run(  # noqa: S603 - fixed arguments; the database named by libpq's env
        [
            postgres_tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--file={path}",
        ],
        env=postgres_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return path


def storage_files(folder: str = "") -> Iterator[str]:
    """Every file in the media storage (a folder or a bucket), by its storage name."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from storage_files(f"{folder}/{sub}" if folder else sub)


def media_copy(folder: Path) -> int:
    count = 0
    for name in storage_files():
        destination = folder / MEDIA_FOLDER / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            with default_storage.open(name, "rb") as source, destination.open("wb") as out:
                shutil.copyfileobj(source, out)
        except FileNotFoundError:
            continue  # deleted while we listed: the copied database no longer names it
        count += 1
    return count


def private_files_root() -> Path:
    return Path(settings.DRAGOMAN_COMMUNITY_FILES_ROOT)


def private_files_copy(folder: Path) -> int:
    """Copy the members-only files (a plain folder on this machine) into the backup."""
    root = private_files_root()
    count = 0
    for path in sorted(root.rglob("*")) if root.is_dir() else []:
        if not path.is_file():
            continue
        destination = folder / PRIVATE_FOLDER / path.relative_to(root)
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copyfile(path, destination)
        except FileNotFoundError:
            continue  # deleted while we listed: the copied database no longer names it
        count += 1
    return count


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections["default"]).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def sqlite_row_counts(path: Path) -> dict[str, int]:
    db = sqlite3.connect(path)
    try:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                " AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"
            )
        ]
        return {
            table: db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in tables
        }
    finally:
        db.close()


def manifest_build(folder: Path, *, created_at: datetime, engine: str) -> dict[str, Any]:
    import wagtail

    import dragoman

    files = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST):
        files.append(
            {
                "path": path.relative_to(folder).as_posix(),
                "size": path.stat().st_size,
                "sha256": sha256_of(path),
            }
        )
    manifest: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "created_at": created_at.isoformat(),
        "versions": {
            "dragoman": getattr(dragoman, "__version__", "") or dragoman_version(),
            "django": django.get_version(),
            "wagtail": wagtail.__version__,
            "python": platform.python_version(),
        },
        "database": {"engine": engine},
        "migrations": applied_migrations(),
        "files": files,
        "size": sum(item["size"] for item in files),
    }
    if engine == "sqlite":
        manifest["database"]["rows"] = sqlite_row_counts(folder / SQLITE_FILE)
    return manifest


def dragoman_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("dragoman")
    except PackageNotFoundError:
        return "unknown"


@dataclass
class Made:
    name: str
    where: str
    manifest: dict[str, Any]
    pruned: list[str]


def backup_create(
    *, to: str, keep_daily: int | None = None, keep_weekly: int | None = None
) -> Made:
    """Back up the database and the media to `to` (a folder or s3://), then verify it and
    apply retention when asked. Safe while the site serves."""
    engine = database_engine()
    target = target_for(to)
    created_at = datetime.now(UTC)
    name = PREFIX + created_at.strftime(TIME_FORMAT)
    existing = set(target.names())
    suffix = 1
    while name in existing:  # two backups in one second
        suffix += 1
        name = f"{PREFIX}{created_at.strftime(TIME_FORMAT)}-{suffix}"
    with tempfile.TemporaryDirectory(prefix="dragoman-backup-") as temporary:
        folder = (
            target.staging(name) if isinstance(target, FolderTarget) else Path(temporary) / name
        )
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        try:
            database_dump(folder)
            media_copy(folder)
            private_files_copy(folder)
            manifest = manifest_build(folder, created_at=created_at, engine=engine)
            problems = folder_verify(folder, manifest)
            if problems:
                raise BackupError("The backup just made does not verify: " + "; ".join(problems))
            (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
            target.put(name, folder)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
    pruned = []
    if keep_daily is not None or keep_weekly is not None:
        pruned = backups_prune(
            target=target, keep_daily=keep_daily or 0, keep_weekly=keep_weekly or 0
        )
    return Made(name=name, where=target.describe(name), manifest=manifest, pruned=pruned)


# Checking one ---------------------------------------------------------------------------------------
def folder_verify(folder: Path, manifest: dict[str, Any]) -> list[str]:
    """What is wrong with the backup in `folder` (nothing: an empty list)."""
    problems = []
    listed = set()
    for item in manifest.get("files", []):
        path = folder / item["path"]
        listed.add(item["path"])
        if not path.is_file():
            problems.append(f"{item['path']} is missing")
        elif path.stat().st_size != item["size"]:
            problems.append(f"{item['path']} has {path.stat().st_size} bytes, not {item['size']}")
        elif sha256_of(path) != item["sha256"]:
            problems.append(f"{item['path']} does not match its checksum")
    for path in folder.rglob("*"):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and relative != MANIFEST and relative not in listed:
            problems.append(f"{relative} is not in the manifest")
    engine = manifest.get("database", {}).get("engine")
    if not problems and engine == "sqlite":
        db = sqlite3.connect(f"file:{folder / SQLITE_FILE}?mode=ro", uri=True)
        try:
            result = db.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            db.close()
        if result != "ok":
            problems.append(f"the database copy fails SQLite's integrity check: {result}")
    elif not problems and engine == "postgresql":
        listing = subprocess.run(  # noqa: S603
            [postgres_tool("pg_restore"), "--list", str(folder / POSTGRES_FILE)],
            capture_output=True,
            text=True,
            check=False,
        )
        if listing.returncode != 0:
            problems.append(f"pg_restore cannot read the dump: {listing.stderr.strip()}")
    return problems


def manifest_read(folder: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder} has no readable manifest: {error}") from error
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"{folder}: manifest format {manifest.get('format')} is unknown")
    return manifest


def backup_choose(target: Target, name: str | None) -> str:
    names = target.names()
    if name is None:
        if not names:
            raise BackupError("There is no backup there.")
        return names[-1]
    if name not in names:
        raise BackupError(f"There is no complete backup named {name} there.")
    return name


def backup_verify(*, source: str, name: str | None = None) -> tuple[str, list[str]]:
    """Check a backup (the newest when no name) against its manifest: (name, problems)."""
    target = target_for(source)
    name = backup_choose(target, name)
    with tempfile.TemporaryDirectory(prefix="dragoman-verify-") as temporary:
        folder = target.fetch(name, Path(temporary))
        return name, folder_verify(folder, manifest_read(folder))


# Retention ----------------------------------------------------------------------------------------------
def backup_time(name: str) -> datetime:
    stamp = name[len(PREFIX) :].split("-")[0]
    return datetime.strptime(stamp, TIME_FORMAT).replace(tzinfo=UTC)


def backups_to_keep(names: list[str], *, keep_daily: int, keep_weekly: int) -> set[str]:
    """The newest backup of each of the last `keep_daily` days that have one, and of each of
    the last `keep_weekly` ISO weeks; always the newest of all."""
    keep: set[str] = set()
    days: set[Any] = set()
    weeks: set[Any] = set()
    for name in sorted(names, key=backup_time, reverse=True):
        when = backup_time(name)
        day, week = when.date(), when.isocalendar()[:2]
        if day not in days and len(days) < keep_daily:
            days.add(day)
            keep.add(name)
        if week not in weeks and len(weeks) < keep_weekly:
            weeks.add(week)
            keep.add(name)
    if names:
        keep.add(max(names, key=backup_time))
    return keep


def backups_prune(*, target: Target, keep_daily: int, keep_weekly: int) -> list[str]:
    names = target.names()
    keep = backups_to_keep(names, keep_daily=keep_daily, keep_weekly=keep_weekly)
    pruned = [name for name in names if name not in keep]
    for name in pruned:
        target.delete(name)
    return pruned


# Restoring ---------------------------------------------------------------------------------------------------
def database_is_empty() -> bool:
    connection = connections["default"]
    tables = connection.introspection.table_names()
    if "django_migrations" not in tables:
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM wagtailcore_page" if "wagtailcore_page" in tables else "SELECT 0"
        )
        return cursor.fetchone()[0] == 0


def database_load(folder: Path, engine: str, *, force: bool) -> None:
    current = database_engine()
    if current != engine:
        raise BackupError(f"The backup holds a {engine} database; this site uses {current}.")
    connections.close_all()
    if engine == "sqlite":
        path = Path(settings.DATABASES["default"]["NAME"])
        path.parent.mkdir(parents=True, exist_ok=True)
        source_db = sqlite3.connect(folder / SQLITE_FILE)
        target_db = sqlite3.connect(path, timeout=60)
        try:
            with target_db:
                source_db.backup(target_db)
            target_db.execute("PRAGMA journal_mode=WAL")
        finally:
            target_db.close()
            source_db.close()
        return
    arguments = [postgres_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error"]
    if force:
        arguments += ["--clean", "--if-exists"]
    environment = postgres_environment()
    result = subprocess.run(  # noqa: S603
        [*arguments, f"--dbname={environment['PGDATABASE']}", str(folder / POSTGRES_FILE)],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


def media_load(folder: Path, manifest: dict[str, Any]) -> int:
    count = 0
    prefix = MEDIA_FOLDER + "/"
    for item in manifest["files"]:
        if not item["path"].startswith(prefix):
            continue
        name = item["path"][len(prefix) :]
        if default_storage.exists(name):
            default_storage.delete(name)
        with (folder / item["path"]).open("rb") as stream:
            saved = default_storage.save(name, File(stream, name=name))
        if saved != name:
            raise BackupError(f"The storage renamed {name} to {saved}: is it really empty?")
        count += 1
    return count


def private_files_load(folder: Path, manifest: dict[str, Any]) -> int:
    root = private_files_root()
    prefix = PRIVATE_FOLDER + "/"
    count = 0
    for item in manifest["files"]:
        if not item["path"].startswith(prefix):
            continue
        destination = root / item["path"][len(prefix) :]
        if not destination.resolve().is_relative_to(root.resolve()):
            raise BackupError(f"{item['path']} would be restored outside {root}")
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / item["path"], destination)
        count += 1
    return count


# Run after the database is back: the schema of newer code, then the copies kept outside the
# database (a search server's index, the cached pages) rebuilt from it.
AFTER_RESTORE: tuple[tuple[str, dict[str, Any]], ...] = (
    ("migrate", {"interactive": False}),
    ("reindex", {"no_progress": True}),
    ("listing-counts", {}),
    ("pages_refresh", {"all": True}),
)


@dataclass
class Restored:
    name: str
    media: int
    manifest: dict[str, Any]


def backup_restore(*, source: str, name: str | None = None, force: bool = False) -> Restored:
    """Restore a backup onto this machine's database and media storage.

    Refuses a database that already holds a site unless `force`: a restore replaces it."""
    from django.core.management import call_command

    target = target_for(source)
    name = backup_choose(target, name)
    # An empty machine: not even the data folder the database lives in.
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    if database_engine() == "sqlite":
        Path(settings.DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    if not force and not database_is_empty():
        raise BackupError(
            "This site's database already holds pages; restore onto an empty one, or pass "
            "--force to replace it."
        )
    with tempfile.TemporaryDirectory(prefix="dragoman-restore-") as temporary:
        folder = target.fetch(name, Path(temporary))
        manifest = manifest_read(folder)
        problems = folder_verify(folder, manifest)
        if problems:
            raise BackupError(f"{name} does not verify: " + "; ".join(problems))
        database_load(folder, manifest["database"]["engine"], force=force)
        media = media_load(folder, manifest) + private_files_load(folder, manifest)
    for command, options in AFTER_RESTORE:
        call_command(command, verbosity=0, stdout=io.StringIO(), **options)
    return Restored(name=name, media=media, manifest=manifest)
