"""Signals forward to `media.py` and `services.py`: an image or document saved by Wagtail
(or anyone)."""

from __future__ import annotations

from typing import Any

from .media import file_place, name_before_upload
from .services import media_added_audit


def media_before_save(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        name_before_upload(instance)


def media_after_save(
    sender: Any, instance: Any, created: bool = False, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        return
    file_place(instance)
    if created:
        media_added_audit(item=instance)
