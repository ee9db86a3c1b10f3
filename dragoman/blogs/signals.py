from typing import Any

from . import services


def ensure_network_after_migrate(sender: Any, **kwargs: Any) -> None:
    services.network_ensure()
