"""Every write to the register: create, update, verify, and the digital team's CSV import.

Every path (the admin form, the import, the demo) brings a channel to its canonical form
through `channel_prepare`, so the register never holds two spellings of one account.
"""

from __future__ import annotations

import copy
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from dragoman.blogs.models import Blogger
from dragoman.core.changes import EVERY_PAGE, announce
from dragoman.missions.models import Mission

from .announcements import ChannelChanged
from .exchange import IMPORT_COLUMNS, REQUIRED_COLUMNS, cell_unescape
from .models import Channel
from .normalise import PLATFORMS, ChannelAddressError, normalise

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 5000
# The fields an import may change, in the order the preview lists them.
COMPARED_FIELDS = [
    "platform_id",
    "mission",
    "blogger",
    "languages",
    "audience",
    "status",
    "verified_on",
    "note",
]


def languages_parse(text: str) -> str:
    """ "en, AR fa" → ",ar,en,fa," (the stored form); unknown codes are refused."""
    known = {code for code, _name in settings.CONTENT_LANGUAGES}
    codes = sorted({code for code in re.split(r"[\s,;]+", text.strip().lower()) if code})
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ValidationError(
            _("Unknown language code: %(codes)s. Use codes such as en, ar, fa, zh-hans.")
            % {"codes": ", ".join(unknown)[:100]},
            code="languages",
        )
    return f",{','.join(codes)}," if codes else ""


def channel_identity(*, platform: str, handle: str, platform_id: str = "") -> dict[str, str]:
    """Canonical platform, handle, platform id and URL for what an editor typed.

    The handle may be any form of the address (a URL, `@name`); an id-style address pasted
    as the handle (facebook.com/profile.php?id=…) becomes the platform id.
    """
    errors: dict[str, list[str]] = {}
    result = {"platform": platform, "handle": "", "platform_id": ""}
    if platform not in PLATFORMS:
        raise ValidationError({"platform": _("Choose a platform.")})
    for field_name, text in (("handle", handle), ("platform_id", platform_id)):
        if not text.strip():
            continue
        try:
            address = normalise(text, platform)
        except ChannelAddressError as error:
            errors.setdefault(field_name, []).extend(error.messages)
            continue
        target = "platform_id" if address.kind == "id" else "handle"
        if field_name == "platform_id" and target == "handle":
            errors.setdefault(field_name, []).append(
                _("This is a handle, not the platform's id for the account.")
            )
        elif result[target] and result[target] != address.value:
            errors.setdefault(field_name, []).append(
                _("The handle and the platform id name two different accounts.")
            )
        else:
            result[target] = address.value
    if errors:
        raise ValidationError(errors)
    if not result["handle"] and not result["platform_id"]:
        raise ValidationError({"handle": _("Give the account's address or handle.")})
    if result["handle"]:
        result["url"] = normalise(result["handle"], platform).url
    else:
        result["url"] = normalise(result["platform_id"], platform).url
    return result


def channel_prepare(channel: Channel, *, check_duplicates: bool = True) -> None:
    """Bring a channel to canonical form and validate it; raises ValidationError.

    Accepts handles and languages as typed. Call before every save.
    """
    identity = channel_identity(
        platform=channel.platform, handle=channel.handle, platform_id=channel.platform_id
    )
    channel.handle = identity["handle"]
    channel.platform_id = identity["platform_id"]
    channel.url = identity["url"]
    channel.languages = languages_parse(channel.languages.replace(",", " "))
    if bool(channel.mission_id) == bool(channel.blogger_id):
        raise ValidationError(_("A channel has one owner: a mission or an official, not both."))
    # The database constraints stay the last word; checking them here in Python (and the
    # duplicates in one query) keeps a save at a handful of queries.
    channel.full_clean(validate_constraints=False)
    if check_duplicates and channel_duplicates(channel).exists():
        raise ValidationError(
            {"handle": _("This account is already in the register.")}, code="duplicate"
        )


def channel_duplicates(channel: Channel) -> QuerySet[Channel]:
    """Other channels in the register for the same account (by handle or by platform id)."""
    same = Q(pk__in=[])
    if channel.handle:
        same |= Q(handle=channel.handle)
    if channel.platform_id:
        same |= Q(platform_id=channel.platform_id)
    return Channel.objects.filter(same, platform=channel.platform).exclude(pk=channel.pk)


def _save_with_history(channel: Channel, *, acting_user: Any, created: bool) -> Channel:
    channel.save()
    # A revision and a log entry per write: the admin's History shows who changed what, when.
    channel.save_revision(
        user=acting_user,
        log_action="wagtail.create" if created else "wagtail.edit",
        clean=False,
    )
    return channel


@transaction.atomic
def channel_create(*, acting_user: Any = None, **fields: Any) -> Channel:
    channel = Channel(**fields)
    channel_prepare(channel)
    return _save_with_history(channel, acting_user=acting_user, created=True)


@transaction.atomic
def channel_update(*, channel: Channel, acting_user: Any = None, **fields: Any) -> Channel:
    for name, value in fields.items():
        setattr(channel, name, value)
    channel_prepare(channel)
    return _save_with_history(channel, acting_user=acting_user, created=False)


@transaction.atomic
def channels_bulk_create(*, rows: list[dict[str, Any]]) -> list[Channel]:
    """Register many new channels at once (the demo, first loads): few queries, no history.

    Each is validated as `channel_create` would; duplicates are checked within the batch and
    against the register. Their admin history starts with their first edit.
    """
    channels = []
    seen: set[tuple[str, str]] = set()
    for fields in rows:
        channel = Channel(**fields)
        channel_prepare(channel, check_duplicates=False)
        keys = {(channel.platform, channel.handle), (channel.platform, "#" + channel.platform_id)}
        keys -= {(channel.platform, ""), (channel.platform, "#")}
        if keys & seen:
            raise ValidationError(_("%(channel)s is given twice.") % {"channel": channel})
        seen |= keys
        channels.append(channel)
    existing = {
        (platform, value)
        for platform, handle, platform_id in Channel.objects.values_list(
            "platform", "handle", "platform_id"
        )
        for value in (handle, "#" + platform_id)
    }
    if seen & existing:
        raise ValidationError(_("Some of these channels are already in the register."))
    created = Channel.objects.bulk_create(channels, batch_size=500)
    if created:
        # Pages list channels, and keep their lists (blog and profile headers): one
        # refresh for the batch, as `channel_changed` does for one.
        announce(ChannelChanged(channel_id=created[0].pk or 0, shown_on=EVERY_PAGE))
    return created


@transaction.atomic
def channel_verify(*, channel: Channel, acting_user: Any = None, on: date) -> Channel:
    """Record that someone checked, on `on`, that the account is still the mission's."""
    return channel_update(channel=channel, acting_user=acting_user, verified_on=on)


# Import --------------------------------------------------------------------------------------


@dataclass
class RowChange:
    line: int
    action: str  # "create", "update" or "unchanged"
    channel: Channel
    changes: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class RowError:
    line: int
    summary: str
    messages: list[str]


@dataclass
class ImportPlan:
    """What an import would do, row by row, before anything is saved."""

    rows: list[RowChange] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_errors

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def changed_rows(self) -> list[RowChange]:
        return [row for row in self.rows if row.action != "unchanged"]


class ImportRefused(Exception):
    """The file has errors; nothing was saved. `plan` holds the per-row report."""

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__("import refused")
        self.plan = plan


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(",") and value.endswith(","):
        return " ".join(part for part in value.split(",") if part)
    return str(value)


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationError(_("The file is larger than 2 MB; split it into several files."))
    try:
        # utf-8-sig: spreadsheets often start a UTF-8 file with a byte-order mark.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            _("The file is not UTF-8 text. Save it from the spreadsheet as “CSV UTF-8”.")
        ) from error


def _error_messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [
            f"{name.replace('_', ' ')}: {message}" if name != "__all__" else message
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return list(error.messages)


def register_import_plan(*, data: bytes | str) -> ImportPlan:
    """Read a CSV file and work out, row by row, what importing it would change.

    Rows are matched to channels by platform and handle (or platform id); channels missing
    from the file are left as they are. Runs a fixed number of queries whatever the size.
    """
    plan = ImportPlan()
    try:
        text = _decode(data)
    except ValidationError as error:
        plan.file_errors.extend(error.messages)
        return plan
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [name.strip().lower() for name in (reader.fieldnames or [])]
    except csv.Error as error:
        plan.file_errors.append(_("The file is not valid CSV: %(error)s") % {"error": error})
        return plan
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        plan.file_errors.append(
            _("The first line must name the columns; missing: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
        return plan
    if len(set(header)) != len(header):
        plan.file_errors.append(_("A column name appears twice in the first line."))
        return plan
    reader.fieldnames = header
    plan.ignored_columns = [
        name for name in header if name not in IMPORT_COLUMNS and name not in {"url"}
    ]

    missions = {mission.slug: mission for mission in Mission.objects.all()}
    bloggers = {blogger.slug: blogger for blogger in Blogger.objects.select_related("mission")}
    existing = list(Channel.objects.select_related("mission", "blogger"))
    by_handle = {(c.platform, c.handle): c for c in existing if c.handle}
    by_id = {(c.platform, c.platform_id): c for c in existing if c.platform_id}
    seen: dict[tuple[str, str], int] = {}

    try:
        for record in reader:
            line = reader.line_num
            if len(plan.rows) + len(plan.errors) >= MAX_IMPORT_ROWS:
                plan.file_errors.append(
                    _("The file has more than %(count)s rows; split it.")
                    % {"count": MAX_IMPORT_ROWS}
                )
                break
            if None in record:
                plan.errors.append(
                    RowError(line, "", [_("This row has more cells than the first line.")])
                )
                continue
            values = {
                name: cell_unescape((record.get(name) or "").strip()) for name in IMPORT_COLUMNS
            }
            if not any(values.values()):
                continue  # blank lines at the end of a spreadsheet export
            summary = f"{values['platform']} {values['handle'] or values['platform_id']}"[:120]
            try:
                row = _plan_row(line, values, missions, bloggers, by_handle, by_id, seen)
            except ValidationError as error:
                plan.errors.append(RowError(line, summary, _error_messages(error)))
                continue
            plan.rows.append(row)
    except csv.Error as error:
        plan.file_errors.append(
            _("Line %(line)s is not valid CSV: %(error)s")
            % {"line": reader.line_num, "error": error}
        )
    if not plan.rows and not plan.errors and not plan.file_errors:
        plan.file_errors.append(_("The file has no rows under its first line."))
    return plan


def _plan_row(
    line: int,
    values: dict[str, str],
    missions: dict[str, Mission],
    bloggers: dict[str, Blogger],
    by_handle: dict[tuple[str, str], Channel],
    by_id: dict[tuple[str, str], Channel],
    seen: dict[tuple[str, str], int],
) -> RowChange:
    errors: dict[str, list[str]] = {}
    platform = values["platform"].lower()
    identity: dict[str, str] = {}
    try:
        identity = channel_identity(
            platform=platform, handle=values["handle"], platform_id=values["platform_id"]
        )
    except ValidationError as error:
        errors.update(error.message_dict)

    mission = blogger = None
    owner_type, owner = values["owner_type"].lower(), values["owner"]
    if owner_type == "mission":
        mission = missions.get(owner)
        if mission is None:
            errors.setdefault("owner", []).append(
                _("No mission has the slug “%(slug)s”.") % {"slug": owner[:60]}
            )
    elif owner_type in {"blogger", "official"}:
        blogger = bloggers.get(owner)
        if blogger is None:
            errors.setdefault("owner", []).append(
                _("No blogger has the slug “%(slug)s”.") % {"slug": owner[:60]}
            )
    else:
        errors.setdefault("owner_type", []).append(_("Write “mission” or “blogger”."))

    languages = ""
    try:
        languages = languages_parse(values["languages"])
    except ValidationError as error:
        errors.setdefault("languages", []).extend(error.messages)
    verified_on = None
    if values["verified_on"]:
        try:
            verified_on = parse_date(values["verified_on"])
        except ValueError:
            verified_on = None
        if verified_on is None:
            errors.setdefault("verified_on", []).append(
                _("Write the date as YYYY-MM-DD, for example 2026-03-31.")
            )
    audience = values["audience"].lower() or Channel.Audience.GENERAL
    status = values["status"].lower() or Channel.Status.ACTIVE
    if errors:
        raise ValidationError(errors)

    keys = [(platform, key) for key in (identity["handle"], "id:" + identity["platform_id"])]
    keys = [key for key in keys if key[1] not in ("", "id:")]
    for key in keys:
        if key in seen:
            raise ValidationError(
                _("The same account as line %(line)s; give each channel once.")
                % {"line": seen[key]}
            )
    for key in keys:
        seen[key] = line

    matches = {
        channel.pk: channel
        for channel in (
            by_handle.get((platform, identity["handle"])) if identity["handle"] else None,
            by_id.get((platform, identity["platform_id"])) if identity["platform_id"] else None,
        )
        if channel is not None
    }
    if len(matches) > 1:
        raise ValidationError(
            _("The handle and the platform id belong to two different channels in the register.")
        )
    current = next(iter(matches.values()), None)
    # A copy, so that the preview never touches the channel the register holds.
    channel = copy.copy(current) if current is not None else Channel()
    channel.platform = platform
    channel.handle = identity["handle"] or (current.handle if current else "")
    channel.platform_id = identity["platform_id"] or (current.platform_id if current else "")
    channel.url = channel.address.url
    channel.mission = mission
    channel.blogger = blogger
    channel.languages = languages
    channel.audience = audience
    channel.status = status
    channel.verified_on = verified_on
    channel.note = values["note"]
    # The owners come from the rows read above: checking them again would cost a query a row.
    channel.full_clean(
        validate_constraints=False, exclude=["mission", "blogger", "latest_revision"]
    )

    if current is None:
        return RowChange(line, "create", channel)
    changes = []
    for name in COMPARED_FIELDS:
        before, after = getattr(current, name), getattr(channel, name)
        if before != after:
            changes.append((name, _display(before), _display(after)))
    return RowChange(line, "update" if changes else "unchanged", channel, changes)


@transaction.atomic
def register_import_apply(*, data: bytes | str, acting_user: Any = None) -> ImportPlan:
    """Import a CSV file: every row is applied, or (on any error) none is.

    Raises ImportRefused, with the per-row report, when a row is wrong; the whole import
    runs in one transaction, so a failure at the database also leaves the register as it was.
    """
    plan = register_import_plan(data=data)
    if not plan.ok:
        raise ImportRefused(plan)
    try:
        for row in plan.changed_rows:
            _save_with_history(row.channel, acting_user=acting_user, created=row.action == "create")
    except IntegrityError as error:
        # Someone saved the same account between the preview and now.
        plan.file_errors.append(
            _("The register changed while importing; nothing was saved. Try again. (%(error)s)")
            % {"error": str(error)[:200]}
        )
        raise ImportRefused(plan) from error
    return plan


def channel_changed(*, channel_id: int) -> None:
    """Any page may show a channel (a mission's, a blog's, a profile's): all refresh."""
    announce(ChannelChanged(channel_id=channel_id, shown_on=EVERY_PAGE))
