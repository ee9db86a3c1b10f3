"""Images and documents of a community: kept outside the public media, served to members only.

A community has a Wagtail collection restricted to its group (a `CollectionViewRestriction`,
Wagtail's own privacy for documents). Whatever is uploaded to it, or moved into it, is stored
under a name that starts with `PRIVATE_MARKER`: the original, and so every rendition Wagtail
makes of an image (a rendition's name starts with its original's). `MediaStorage`, the default
storage, keeps such names in a folder outside `MEDIA_ROOT` and gives them an address of the
members' view (`/members/media/<name>`), which serves a file only to those the collection's
restriction admits; every other name goes to the public storage as before. So no front
server, bucket or public address ever holds a community's file, whatever template shows it.

Wagtail's own document address (`/documents/<id>/<name>`) asks the same restriction; the
`before_serve_document` hook in `wagtail_hooks.py` answers 404 instead of a sign-in page.
"""

from __future__ import annotations

import posixpath
from typing import IO, Any

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import transaction
from django.http import HttpRequest
from django.utils.deconstruct import deconstructible
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

PRIVATE_MARKER = "members-only-"
PRIVATE_URL = "/members/media/"


def is_private_name(name: str) -> bool:
    return posixpath.basename(name).startswith(PRIVATE_MARKER)


def private_name(name: str) -> str:
    folder, base = posixpath.split(name)
    return name if is_private_name(name) else posixpath.join(folder, PRIVATE_MARKER + base)


def public_name(name: str) -> str:
    folder, base = posixpath.split(name)
    return posixpath.join(folder, base.removeprefix(PRIVATE_MARKER))


@deconstructible
class MediaStorage(Storage):
    """The public media storage (as configured: a folder or a bucket), except for private
    names, which live in a folder of their own outside `MEDIA_ROOT`.

    `public` is the configuration of the public storage (a `STORAGES` entry).
    """

    def __init__(self, public: dict[str, Any] | None = None) -> None:
        self.public_config = public or {"BACKEND": "django.core.files.storage.FileSystemStorage"}
        self._public: Storage | None = None

    @property
    def public(self) -> Storage:
        if self._public is None:
            self._public = storages.create_storage(self.public_config)
        return self._public

    @property
    def private(self) -> Storage:
        # Read from the setting each time: tests (and deployments) may move it.
        return FileSystemStorage(location=settings.DRAGOMAN_COMMUNITY_FILES_ROOT / "media")

    def _for(self, name: str) -> Storage:
        return self.private if is_private_name(name) else self.public

    def _open(self, name: str, mode: str = "rb") -> File:
        return self._for(name).open(name, mode)

    def _save(self, name: str, content: IO[Any]) -> str:
        return self._for(name).save(name, content)

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return self._for(name).get_available_name(name, max_length=max_length)

    def get_valid_name(self, name: str) -> str:
        return self.public.get_valid_name(name)

    def delete(self, name: str) -> None:
        self._for(name).delete(name)

    def exists(self, name: str) -> bool:
        return self._for(name).exists(name)

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        return self.public.listdir(path)

    def size(self, name: str) -> int:
        return self._for(name).size(name)

    def url(self, name: str | None) -> str:
        if name and is_private_name(name):
            return PRIVATE_URL + name
        return self.public.url(name)

    def path(self, name: str) -> str:
        return self._for(name).path(name)

    def get_accessed_time(self, name: str) -> Any:
        return self._for(name).get_accessed_time(name)

    def get_created_time(self, name: str) -> Any:
        return self._for(name).get_created_time(name)

    def get_modified_time(self, name: str) -> Any:
        return self._for(name).get_modified_time(name)


def collection_is_private(collection: Collection | None) -> bool:
    """Whether a collection (or one it lies in) is restricted: a community's, typically."""
    return collection is not None and collection.get_view_restrictions().exists()


def collection_admits(collection: Collection, request: HttpRequest) -> bool:
    """Wagtail's own rule for a restricted collection: every restriction must let in."""
    return all(r.accept_request(request) for r in collection.get_view_restrictions())


def file_owner(name: str) -> tuple[Any, Collection] | None:
    """The image, rendition or document stored under this name, and its collection."""
    Image = get_image_model()
    Rendition = Image.get_rendition_model()
    rendition = Rendition.objects.filter(file=name).select_related("image__collection").first()
    if rendition is not None:
        return rendition, rendition.image.collection
    for model in (Image, get_document_model()):
        found = model.objects.filter(file=name).select_related("collection").first()
        if found is not None:
            return found, found.collection
    return None


def name_before_upload(instance: Any) -> None:
    """Give a file about to be stored the name that places it where its collection says.

    Called before an image or document is saved (a signal forwards here); only a new upload
    (a file not yet stored) is renamed: a stored file is moved by `file_place` after commit.
    """
    file = instance.file
    if not file or getattr(file, "_committed", True):
        return
    wanted = (
        private_name(file.name)
        if collection_is_private(instance.collection)
        else public_name(file.name)
    )
    file.name = wanted


def file_place(instance: Any) -> None:
    """Move a stored file to the side its collection says (an image or a document moved into
    or out of a community's collection), and drop an image's renditions, which are made again
    on the same side as their original."""
    name = instance.file.name
    if not name:
        return
    private = collection_is_private(instance.collection)
    if private == is_private_name(name):
        return
    storage = instance.file.storage
    wanted = private_name(name) if private else public_name(name)
    with storage.open(name, "rb") as source:
        saved = storage.save(wanted, source)
    type(instance).objects.filter(pk=instance.pk).update(file=saved)
    instance.file.name = saved
    if hasattr(instance, "renditions"):
        for rendition in instance.renditions.all():
            rendition.file.delete(save=False)
        instance.renditions.all().delete()
    # The old copy goes only once the new name is committed: a crash leaves two, never none.
    transaction.on_commit(lambda: storage.delete(name))
