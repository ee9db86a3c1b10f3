"""A community's images and documents: stored outside the public media, whichever way they
came into its collection, and served to its members only."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from wagtail.images import get_image_model
from wagtail.models import Collection

from dragoman.demo.images import landscape_png

pytestmark = pytest.mark.django_db


def test_an_image_moved_into_a_communitys_collection_leaves_the_public_media(
    two, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    image = get_image_model().objects.create(
        title="Beach",
        file=SimpleUploadedFile("beach.png", landscape_png(seed=3)),
        collection=Collection.get_first_root_node(),
    )
    public_rendition = image.get_rendition("width-360")
    public_files = [image.file.path, public_rendition.file.path]

    with django_capture_on_commit_callbacks(execute=True):
        image.collection = two.a.collection
        image.save()

    image.refresh_from_db()
    rendition = image.get_rendition("width-360")
    assert not any(Path(p).exists() for p in public_files)
    assert image.file.path.startswith(str(settings.DRAGOMAN_COMMUNITY_FILES_ROOT))
    assert rendition.url.startswith("/members/media/")
    member, outsider = Client(), Client()
    member.force_login(two.member_a)
    outsider.force_login(two.member_b)
    assert member.get(rendition.url).status_code == 200
    assert outsider.get(rendition.url).status_code == 404
    assert Client().get(rendition.url).status_code == 404


def test_a_public_upload_named_like_a_private_file_stays_public(settings, tmp_path, db):
    settings.MEDIA_ROOT = tmp_path / "media"

    image = get_image_model().objects.create(
        title="Odd name",
        file=SimpleUploadedFile("members-only-odd.png", landscape_png(seed=4)),
        collection=Collection.get_first_root_node(),
    )

    assert image.file.path.startswith(str(settings.MEDIA_ROOT))
    assert not image.get_rendition("width-360").url.startswith("/members/")
