"""Start-up checks: an upgrade of Django or Wagtail that moved an internal we rely on stops
`dragoman check`, `migrate` and `serve` with a message naming it, rather than serving wrong
pages."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, Tags, register


@register(Tags.database)  # compiling a query may ask the database its version
def private_apis_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    from . import prepared, wagtail_site

    if not kwargs.get("databases"):
        return []
    errors = []
    for module, missing in (
        (prepared, prepared.private_apis_missing()),
        (wagtail_site, wagtail_site.private_apis_missing()),
    ):
        errors += [
            Error(
                f"{name} has moved or changed",
                hint=f"Adapt {module.__name__} to this version before upgrading.",
                id="dragoman.E001",
            )
            for name in missing
        ]
    return errors
