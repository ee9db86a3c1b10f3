"""Media on S3-compatible object storage (DRAGOMAN_MEDIA_URL=s3://...), and backups there,
against moto's S3 server started on this app's port."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.operations.sites import (
    dragoman,
    python,
    site_copy,
    site_env,
    wait_for_port,
)
from tests.ports import free_port

MOTO = Path(sys.executable).parent / "moto_server"
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}

pytestmark = pytest.mark.skipif(not MOTO.exists(), reason="moto[server] is not installed")


@pytest.fixture(scope="module")
def s3_server() -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(
        [str(MOTO), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def bucket_make(endpoint: str) -> str:
    import boto3

    name = f"dragoman-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=endpoint, **_boto_credentials()).create_bucket(Bucket=name)
    return name


def _boto_credentials() -> dict[str, str]:
    return {
        "aws_access_key_id": CREDENTIALS["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        "region_name": CREDENTIALS["AWS_DEFAULT_REGION"],
    }


def bucket_keys(endpoint: str, bucket: str) -> list[str]:
    import boto3

    client = boto3.client("s3", endpoint_url=endpoint, **_boto_credentials())
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", []))


UPLOAD = r"""
import io, json
import django
django.setup()
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

buffer = io.BytesIO()
PILImage.new("RGB", (640, 480), (200, 30, 60)).save(buffer, "PNG")
image = get_image_model()(title="Embassy garden")
image.file = ImageFile(io.BytesIO(buffer.getvalue()), name="garden.png")
image.save()
rendition = image.get_rendition("fill-200x100")
print(json.dumps({"original": image.file.name, "rendition": rendition.file.name, "url": rendition.url}))
"""


def test_an_upload_and_its_rendition_are_stored_in_the_bucket(built_site, tmp_path, s3_server):
    bucket = bucket_make(s3_server)
    env = site_env(
        site_copy(built_site, tmp_path / "site"),
        DRAGOMAN_MEDIA_URL=f"s3://{bucket}/site-media?endpoint_url={s3_server}",
        **CREDENTIALS,
    )

    stored = json.loads(python(env, UPLOAD).strip().splitlines()[-1])

    keys = bucket_keys(s3_server, bucket)
    assert f"site-media/{stored['original']}" in keys
    assert f"site-media/{stored['rendition']}" in keys
    assert stored["rendition"].startswith("images/") and "fill-200x100" in stored["rendition"]
    # Unsigned: a page kept in the cache for a day never holds an address that expires.
    assert stored["url"].startswith(f"{s3_server}/{bucket}/site-media/images/")
    assert "Signature" not in stored["url"]
    assert not (tmp_path / "site" / "media").exists()


def test_a_backup_to_s3_with_media_in_s3_restores_elsewhere(built_site, tmp_path, s3_server):
    media, backups, media_elsewhere = (
        bucket_make(s3_server),
        bucket_make(s3_server),
        bucket_make(s3_server),
    )
    env = site_env(
        site_copy(built_site, tmp_path / "site"),
        DRAGOMAN_MEDIA_URL=f"s3://{media}/m?endpoint_url={s3_server}",
        **CREDENTIALS,
    )
    stored = json.loads(python(env, UPLOAD).strip().splitlines()[-1])
    address = f"s3://{backups}/nightly?endpoint_url={s3_server}"

    made = dragoman(env, "backup", "--to", address)
    verified = dragoman(env, "backup", "--to", address, "--verify")
    restored_env = site_env(
        tmp_path / "elsewhere",
        DRAGOMAN_MEDIA_URL=f"s3://{media_elsewhere}/m?endpoint_url={s3_server}",
        **CREDENTIALS,
    )
    dragoman(restored_env, "restore", "--from", address)

    assert "Backed up to s3://" in made
    assert "verifies" in verified
    backup_keys = bucket_keys(s3_server, backups)
    assert any(key.endswith("/manifest.json") for key in backup_keys)
    assert any(key.endswith(f"/media/{stored['original']}") for key in backup_keys)
    assert bucket_keys(s3_server, media_elsewhere) == bucket_keys(s3_server, media)
    titles = python(
        restored_env,
        "import django; django.setup(); from wagtail.images.models import Image; "
        "print([i.title for i in Image.objects.all()])",
    )
    assert "Embassy garden" in titles
