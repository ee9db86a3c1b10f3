"""The ASGI entry point of the live streams (``/live/``), which `dragoman serve` runs in a
process of its own beside the WSGI one (see ``live.py``).

Django is not set up here: the streams need its settings and its database connection, not
its apps, models or templates (which took 115 of the process's 148 MB). ``live.py`` reads
the event table in plain SQL and asks the page server whether the public may see a page.
"""

import os
import warnings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dragoman.settings")

# Django warns at each query made before its apps are ready, as a mistake in an app's start-up
# would be; here no app is ever set up, on purpose.
warnings.filterwarnings(
    "ignore", message="Accessing the database during app initialization", category=RuntimeWarning
)

from .live import application  # noqa: E402 - after the settings module is named

__all__ = ["application"]
