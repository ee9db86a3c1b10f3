from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.static import serve as serve_file
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents.views import serve as wagtaildocs_views

from dragoman.authoring import views as authoring_views
from dragoman.blogs import sitemaps
from dragoman.communities import views as community_views
from dragoman.core import views as core_views

urlpatterns = [
    # Before the admin's own URLs: the invited person is not signed in yet.
    path(
        "admin/invitation/<uidb64>/<token>/",
        authoring_views.invitation_accept,
        name="authoring_invitation_accept",
    ),
    # Wagtail's own, with the reset link consumed once (dragoman/core/once.py).
    path(
        "admin/password_reset/confirm/<uidb64>/<token>/",
        authoring_views.PasswordResetConfirmView.as_view(),
        name="wagtailadmin_password_reset_confirm",
    ),
    # Before the admin's own URLs: Wagtail's privacy setting, refused on a community's blog.
    path("admin/pages/<int:page_id>/privacy/", community_views.admin_page_privacy),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's document addresses, with keys through the `id` converter: Wagtail's own take
    # any run of digits, and a key past 64 bits made the database fail (a 500, not a 404).
    path(
        "documents/<id:document_id>/<path:document_filename>",
        wagtaildocs_views.serve,
        name="wagtaildocs_serve",
    ),
    path(
        "documents/authenticate_with_password/<id:restriction_id>/",
        wagtaildocs_views.authenticate_with_password,
        name="wagtaildocs_authenticate_with_password",
    ),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("sitemap-<section>.xml", sitemap, {"sitemaps": sitemaps.SITEMAPS}, name="sitemap_section"),
    path("healthz", core_views.health, name="health"),
    # ActivityPub: WebFinger, NodeInfo, actors and inboxes (outside the language prefixes).
    path("", include("dragoman.federation.urls")),
    # Mail providers' bounce and complaint webhooks (django-anymail), for subscriptions.
    path("anymail/", include("dragoman.subscriptions.webhooks")),
    path("", include("dragoman.operations.urls")),
]

if settings.DRAGOMAN_SERVE_MEDIA:
    # One small machine serves its own uploads; at scale a front server or object storage does.
    urlpatterns.append(
        re_path(r"^media/(?P<path>.*)$", serve_file, {"document_root": settings.MEDIA_ROOT})
    )

# Wagtail's front-end routes, its password form for private pages again under `id` (above).
WAGTAIL_PAGE_PASSWORD = "wagtailcore_authenticate_with_password"  # noqa: S105 (a route name)
wagtail_front_urls = [
    path(
        "_util/authenticate_with_password/<id:page_view_restriction_id>/<id:page_id>/",
        wagtail_views.authenticate_with_password,
        name=WAGTAIL_PAGE_PASSWORD,
    ),
    *(p for p in wagtail_urls.urlpatterns if getattr(p, "name", "") != WAGTAIL_PAGE_PASSWORD),
]

# The reader's language comes from the address: /ar/..., /fa/...; English has no prefix.
urlpatterns += i18n_patterns(
    path("", include("dragoman.blogs.urls")),
    path("search/", include("dragoman.search.urls")),
    path("channels/", include("dragoman.channels.urls")),
    path("mirrors/", include("dragoman.reach.urls")),
    path("", include("dragoman.conversations.urls")),
    path("campaigns/", include("dragoman.campaigns.urls")),
    path("", include("dragoman.questions.urls")),
    path("", include("dragoman.subscriptions.urls")),
    # Communities: public pages, members' pages, and sign-in (django-allauth).
    path("", include("dragoman.communities.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include(wagtail_front_urls)),
    prefix_default_language=False,
)

handler404 = "dragoman.core.views.page_not_found"
handler500 = "dragoman.core.views.server_error"
