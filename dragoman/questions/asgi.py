"""The ASGI entry point of the live streams (``/live/``), which `dragoman serve` runs in a
granian process of its own beside the WSGI one (see ``live.py``)."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dragoman.settings")
django.setup()

from .live import application  # noqa: E402 - Django must be set up first

__all__ = ["application"]
