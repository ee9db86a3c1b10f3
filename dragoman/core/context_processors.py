from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    """What every page's frame needs: the network's name and absolute base address."""
    return {"SITE_NAME": settings.SITE_NAME, "BASE_URL": settings.BASE_URL}
