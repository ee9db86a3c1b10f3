"""Forward changes of the reach settings (made in the admin's settings) to the service."""

from typing import Any

from . import services


def reach_settings_changed(**kwargs: Any) -> None:
    services.addresses_changed()
