from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.static import serve as serve_file
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from dragoman.authoring import views as authoring_views
from dragoman.blogs import sitemaps
from dragoman.core import views as core_views

urlpatterns = [
    # Before the admin's own URLs: the invited person is not signed in yet.
    path(
        "admin/invitation/<uidb64>/<token>/",
        authoring_views.invitation_accept,
        name="authoring_invitation_accept",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("sitemap-<section>.xml", sitemap, {"sitemaps": sitemaps.SITEMAPS}, name="sitemap_section"),
    path("healthz", core_views.health, name="health"),
]

if settings.DRAGOMAN_SERVE_MEDIA:
    # One small machine serves its own uploads; at scale a front server or object storage does.
    urlpatterns.append(
        re_path(r"^media/(?P<path>.*)$", serve_file, {"document_root": settings.MEDIA_ROOT})
    )

# The reader's language comes from the address: /ar/..., /fa/...; English has no prefix.
urlpatterns += i18n_patterns(
    path("", include("dragoman.blogs.urls")),
    path("missions/", include("dragoman.missions.urls")),
    path("search/", include("dragoman.search.urls")),
    path("channels/", include("dragoman.channels.urls")),
    path("", include("dragoman.conversations.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

handler404 = "dragoman.core.views.page_not_found"
handler500 = "dragoman.core.views.server_error"
