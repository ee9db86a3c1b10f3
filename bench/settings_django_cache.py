"""Dragoman with Django's own per-site cache instead of the page cache, for comparison."""

from dragoman.settings import *  # noqa: F403

DRAGOMAN_PAGE_CACHE = False
MIDDLEWARE = [
    "django.middleware.cache.UpdateCacheMiddleware",
    *[m for m in MIDDLEWARE if "PageCacheMiddleware" not in m],  # noqa: F405
    "django.middleware.cache.FetchFromCacheMiddleware",
]
CACHE_MIDDLEWARE_SECONDS = 600
