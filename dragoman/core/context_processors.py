import functools
from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import hosts, queries, textonly


def site(request: HttpRequest) -> dict[str, Any]:
    """What every page's frame needs: the network's name and description in the page's
    language, the absolute base address the page names as its own (the main host's, or the
    onion service's there: ``hosts``), and the addresses of its full and text-only versions.

    Lazy, so that a template that shows neither (the admin's) reads nothing.
    """
    identity = functools.cache(queries.network_identity)
    return {
        "SITE_NAME": SimpleLazyObject(lambda: identity()[0]),
        "SITE_DESCRIPTION": SimpleLazyObject(lambda: identity()[1]),
        "BASE_URL": hosts.canonical_origin(),
        "TEXT_ONLY": textonly.is_text_only(),
        # The full page's path (also in a text-only version: the canonical link names it).
        "PAGE_PATH": textonly.full_path(request.path),
        "TEXT_VERSION_PATH": textonly.text_path(textonly.full_path(request.path)),
    }
