"""The images and documents of an old site: found in a folder, or fetched if asked.

An export names its files by address (``https://old.example/wp-content/uploads/2020/05/
photo-300x200.jpg``). The file is looked for in the folder given (a copy of
``wp-content/uploads``, or Ghost's ``content/images``) under the address's path after
``/uploads/`` (or ``/images/``), the original before the resized copy WordPress names
``-300x200``. Only when asked is it fetched from the old site. Each file becomes one Wagtail
image or document, remembered by its address so that a re-run or another entry reuses it.
What cannot be found is returned as missing: the report lists it.
"""

from __future__ import annotations

import hashlib
import io
import re
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from wagtail.documents.models import Document
from wagtail.images.models import Image

from .models import SourceItem

RESIZED = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)|-scaled(?=\.[A-Za-z0-9]+$)")
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg"}
FETCH_LIMIT_BYTES = 50 * 1024 * 1024
FETCH_TIMEOUT_SECONDS = 30
MARKERS = ("/wp-content/uploads/", "/uploads/", "/content/images/", "/images/", "/media/")


@dataclass
class MediaLibrary:
    """Where an import finds files, and what it could not find."""

    source: str
    folder: Path | None = None
    fetch: bool = False
    dry_run: bool = False
    missing: dict[str, str] = field(default_factory=dict)  # address → why
    created: int = 0

    def relative_path(self, url: str) -> PurePosixPath | None:
        parts = urlsplit(url)
        path = unquote(parts.path)
        if not parts.scheme and not parts.netloc and not path.startswith("/"):
            relative = PurePosixPath(path)  # a path inside the folder (an archive's media/...)
            return None if ".." in relative.parts or not relative.parts else relative
        for marker in MARKERS:
            if marker in path:
                relative = PurePosixPath(path.split(marker, 1)[1])
                break
        else:
            relative = PurePosixPath(path.lstrip("/"))
        if ".." in relative.parts or not relative.parts:
            return None
        return relative

    def _read_local(self, url: str) -> tuple[bytes, str] | None:
        if self.folder is None:
            return None
        relative = self.relative_path(url)
        if relative is None:
            return None
        original = relative.with_name(RESIZED.sub("", relative.name))
        for candidate in (original, relative):
            path = (self.folder / candidate).resolve()
            # Never outside the folder given, whatever the export says.
            if path.is_file() and path.is_relative_to(self.folder.resolve()):
                return path.read_bytes(), path.name
        return None

    def _fetch(self, url: str) -> tuple[bytes, str] | None:
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"}:
            return None
        original = url.replace(parts.path, RESIZED.sub("", parts.path))
        for address in dict.fromkeys([original, url]):
            try:
                with urllib.request.urlopen(address, timeout=FETCH_TIMEOUT_SECONDS) as response:  # noqa: S310 - http(s) only, checked above
                    data = response.read(FETCH_LIMIT_BYTES + 1)
            except (OSError, ValueError) as error:
                self.missing[url] = f"could not be fetched: {error}"
                continue
            if len(data) > FETCH_LIMIT_BYTES:
                self.missing[url] = "larger than 50 MB"
                return None
            return data, PurePosixPath(unquote(urlsplit(address).path)).name or "file"
        return None

    def find(self, url: str) -> tuple[bytes, str] | None:
        """The file's bytes and name, or None (and the reason recorded)."""
        found = self._read_local(url)
        if found is None and self.fetch:
            found = self._fetch(url)
        if found is None:
            self.missing.setdefault(
                url,
                "not in the media folder" if self.folder else "no media folder given (--media)",
            )
        return found

    def _known(self, kind: str, key: str) -> int | None:
        return (
            SourceItem.objects.filter(source=self.source, kind=kind, source_id=key)
            .values_list("target_id", flat=True)
            .first()
        )

    def image(self, url: str, *, title: str = "") -> Image | None:
        """The Wagtail image for this address: made once, then reused."""
        key = self._key(url)
        known = self._known(SourceItem.Kind.IMAGE, key)
        if known is not None:
            image = Image.objects.filter(pk=known).first()
            if image is not None:
                return image
        found = self.find(url)
        if found is None:
            return None
        data, name = found
        if self.dry_run:
            return None
        image = Image(title=(title or name)[:255])
        try:
            image.file = ImageFile(io.BytesIO(data), name=name)
            image.save()
        except Exception as error:  # Willow raises many kinds for a file that is not an image
            self.missing[url] = f"not an image that can be read ({type(error).__name__})"
            return None
        self._remember(SourceItem.Kind.IMAGE, key, image.pk, data)
        self.created += 1
        return image

    def document(self, url: str, *, title: str = "") -> Document | None:
        key = self._key(url)
        known = self._known(SourceItem.Kind.DOCUMENT, key)
        if known is not None:
            document = Document.objects.filter(pk=known).first()
            if document is not None:
                return document
        found = self.find(url)
        if found is None or self.dry_run:
            return None
        data, name = found
        document = Document(title=(title or name)[:255])
        document.file.save(name, ContentFile(data), save=False)
        document.save()
        self._remember(SourceItem.Kind.DOCUMENT, key, document.pk, data)
        self.created += 1
        return document

    def _key(self, url: str) -> str:
        relative = self.relative_path(url)
        if relative is None:
            return url[:255]
        return str(relative.with_name(RESIZED.sub("", relative.name)))[:255]

    def _remember(self, kind: str, key: str, target_id: int, data: bytes) -> None:
        SourceItem.objects.update_or_create(
            source=self.source,
            kind=kind,
            source_id=key,
            defaults={"target_id": target_id, "checksum": hashlib.sha256(data).hexdigest()},
        )


def is_image(url: str) -> bool:
    return PurePosixPath(urlsplit(url).path).suffix.lower() in IMAGE_EXTENSIONS
