"""The register's exchange format: the CSV and JSON columns that exports write and imports read.

The schema is versioned and documented in the README ("The register of official channels").
Adding a column is a compatible change; renaming or removing one needs a new version.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from .models import Channel

SCHEMA = "dragoman.channels/1"

# Columns in the order exports write them. Imports read IMPORT_COLUMNS and ignore the others,
# which are there for people reading the file (they follow from the owner and the handle).
COLUMNS = [
    "platform",
    "handle",
    "platform_id",
    "url",
    "owner_type",
    "owner",
    "owner_name",
    "mission",
    "country_code",
    "languages",
    "audience",
    "status",
    "verified_on",
    "note",
]
IMPORT_COLUMNS = [
    "platform",
    "handle",
    "platform_id",
    "owner_type",
    "owner",
    "languages",
    "audience",
    "status",
    "verified_on",
    "note",
]
REQUIRED_COLUMNS = ["platform", "handle", "owner_type", "owner"]

# A spreadsheet runs a cell that starts with one of these as a formula; exports put a quote
# before it (as spreadsheets themselves do) and imports take that quote away again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_escape(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def cell_unescape(value: str) -> str:
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def channel_record(channel: Channel) -> dict[str, Any]:
    """One channel as the exchange format's fields (the JSON form; CSV flattens languages)."""
    mission = channel.owning_mission
    if channel.blogger_id and channel.blogger:
        owner_type, owner = "blogger", channel.blogger.slug
    else:
        owner_type, owner = "mission", channel.mission.slug if channel.mission else ""
    return {
        "platform": channel.platform,
        "handle": channel.handle,
        "platform_id": channel.platform_id,
        "url": channel.url,
        "owner_type": owner_type,
        "owner": owner,
        "owner_name": channel.owner_name,
        "mission": mission.slug if mission else "",
        "country_code": mission.country_code if mission else "",
        "languages": channel.language_codes,
        "audience": channel.audience,
        "status": channel.status,
        "verified_on": channel.verified_on.isoformat() if channel.verified_on else "",
        "note": channel.note,
    }


def register_csv(channels: Iterable[Channel]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for channel in channels:
        record = channel_record(channel)
        record["languages"] = " ".join(record["languages"])
        writer.writerow({key: cell_escape(str(value)) for key, value in record.items()})
    return out.getvalue()


def register_json(channels: Iterable[Channel], *, filters: dict[str, str]) -> str:
    records = [channel_record(channel) for channel in channels]
    document = {
        "schema": SCHEMA,
        "generated_at": timezone.now().replace(microsecond=0).isoformat(),
        "filters": filters,
        "count": len(records),
        "channels": records,
    }
    return json.dumps(document, ensure_ascii=False, indent=1)
