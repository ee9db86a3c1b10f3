"""Addresses of S3-compatible object storage: `s3://bucket/prefix?endpoint_url=...&region=...`.

Standard library only: settings.py reads DRAGOMAN_MEDIA_URL with it before Django starts.
Credentials never go in the address; boto3 reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
(or an instance role). Any S3-compatible service (MinIO, Ceph, Garage, a provider's) is
reached by `endpoint_url`, or AWS_S3_ENDPOINT_URL for every address at once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class S3Location:
    bucket: str
    prefix: str
    endpoint_url: str | None
    region: str | None

    def key(self, *parts: str) -> str:
        return "/".join(part.strip("/") for part in (self.prefix, *parts) if part.strip("/"))


def is_s3(address: str) -> bool:
    return address.startswith("s3://")


def s3_location(address: str) -> S3Location:
    """Parse `s3://bucket/prefix?endpoint_url=...&region=...`; ValueError says what is wrong."""
    parts = urlsplit(address)
    if parts.scheme != "s3" or not parts.netloc:
        raise ValueError(f"{address!r} is not an s3://bucket/prefix address")
    query = {name: values[-1] for name, values in parse_qs(parts.query).items()}
    unknown = set(query) - {"endpoint_url", "region"}
    if unknown:
        raise ValueError(f"{address!r}: unknown parameters {', '.join(sorted(unknown))}")
    return S3Location(
        bucket=parts.netloc,
        prefix=parts.path.strip("/"),
        endpoint_url=query.get("endpoint_url") or os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        region=query.get("region") or os.environ.get("AWS_DEFAULT_REGION") or None,
    )


def s3_client(location: S3Location):  # type: ignore[no-untyped-def]
    import boto3

    return boto3.client(
        "s3", endpoint_url=location.endpoint_url, region_name=location.region or "us-east-1"
    )
