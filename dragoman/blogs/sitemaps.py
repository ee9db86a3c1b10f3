"""The sitemap: every live page, each entry translation with its hreflang alternates."""

from __future__ import annotations

from typing import Any

from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from wagtail.contrib.sitemaps.sitemap_generator import Sitemap

from dragoman.core.hosts import on_reader_host

from . import translations
from .models import EntryPage


class NetworkSitemap(Sitemap):
    """Wagtail's sitemap, with the translation groups of a page of entries fetched at once
    (not one query per entry) before each entry lists its address and alternates."""

    # /sitemap.xml is an index of parts this size: one file of 100,000 entries would take
    # tens of seconds to render and weigh megabytes (the protocol allows 50,000 at most).
    limit = 5000

    def get_latest_lastmod(self) -> Any:
        # Django's default reads every page (all entries, as specific pages) to find the
        # newest date for the index; the database finds it in one query.
        pages = self.get_wagtail_site().root_page.get_descendants(inclusive=True).live()
        return pages.aggregate(latest=Max("last_published_at"))["latest"]

    def _urls(self, page: Any, protocol: Any, domain: Any) -> list[dict[str, Any]]:
        items = list(self.paginator.page(page).object_list)
        translations.language_versions_prefetch(
            item for item in items if isinstance(item, EntryPage)
        )
        urls: list[dict[str, Any]] = []
        last_mods = set()
        for item in items:
            for url_info in item.get_sitemap_urls(self.request):
                # Wagtail builds addresses on the site's (main) host; a mirror's or the
                # onion service's sitemap lists that host's addresses.
                url_info["location"] = on_reader_host(url_info["location"])
                if "alternates" in url_info:
                    url_info["alternates"] = [
                        {**alternate, "location": on_reader_host(alternate["location"])}
                        for alternate in url_info["alternates"]
                    ]
                urls.append(url_info)
                last_mods.add(url_info.get("lastmod"))
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls


SITEMAPS = {"pages": NetworkSitemap}


def sitemap(request: HttpRequest) -> HttpResponse:
    """/sitemap.xml: the sitemap itself while it fits in one part, else the index of its parts
    (each at /sitemap-pages.xml?p=N)."""
    sitemaps: dict[str, Any] = {
        name: sitemap_class(request) for name, sitemap_class in SITEMAPS.items()
    }
    if all(part.paginator.num_pages <= 1 for part in sitemaps.values()):
        return sitemap_views.sitemap(request, sitemaps)
    return sitemap_views.index(request, sitemaps, sitemap_url_name="sitemap_section")
