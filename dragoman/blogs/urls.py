from django.urls import path, re_path

from . import feeds, views

app_name = "blogs"

# Year and month are fixed-width so that each archive page has exactly one address.
YEAR = r"(?P<year>[0-9]{4})"
MONTH = r"(?P<month>[0-9]{2})"

urlpatterns = [
    path("entries/<id:pk>/", views.entry_permalink, name="entry_permalink"),
    # "Share this with:" goes through here, so that a click can be counted (sharing.py).
    path("share/<slug:network>/<id:entry>/", views.share, name="share"),
    path("feed/rss/", feeds.NetworkRssFeed(), name="network_rss"),
    path("feed/atom/", feeds.NetworkAtomFeed(), name="network_atom"),
    # Feeds of one content language: /feed/ar/rss/, /blogs/<blog>/feed/ar/atom/.
    path("feed/<str:language>/rss/", feeds.LanguageRssFeed(), name="language_rss"),
    path("feed/<str:language>/atom/", feeds.LanguageAtomFeed(), name="language_atom"),
    path("tags/", views.tag_index, name="tag_index"),
    path("tags/<str:tag>/", views.tag_detail, name="tag_detail"),
    path("tags/<str:tag>/feed/rss/", feeds.TagRssFeed(), name="tag_rss"),
    path("tags/<str:tag>/feed/atom/", feeds.TagAtomFeed(), name="tag_atom"),
    path("archive/", views.archive_index, name="archive_index"),
    re_path(rf"^archive/{YEAR}/$", views.archive_period, name="archive_year"),
    re_path(rf"^archive/{YEAR}/{MONTH}/$", views.archive_period, name="archive_month"),
    # A mission's page lists its blogs and bloggers (the template is the missions app's).
    path("missions/<slug:slug>/", views.mission_detail, name="mission_detail"),
    path("bloggers/", views.blogger_list, name="blogger_list"),
    path("bloggers/<slug:slug>/", views.blogger_detail, name="blogger_detail"),
    path("bloggers/<slug:slug>/feed/rss/", feeds.BloggerRssFeed(), name="blogger_rss"),
    path("bloggers/<slug:slug>/feed/atom/", feeds.BloggerAtomFeed(), name="blogger_atom"),
    # A blog's own sub-pages; the blog and its entries are Wagtail pages under /blogs/.
    path("blogs/<slug:blog>/feed/rss/", feeds.BlogRssFeed(), name="blog_rss"),
    path("blogs/<slug:blog>/feed/atom/", feeds.BlogAtomFeed(), name="blog_atom"),
    path(
        "blogs/<slug:blog>/feed/<str:language>/rss/",
        feeds.BlogLanguageRssFeed(),
        name="blog_language_rss",
    ),
    path(
        "blogs/<slug:blog>/feed/<str:language>/atom/",
        feeds.BlogLanguageAtomFeed(),
        name="blog_language_atom",
    ),
    path("blogs/<slug:blog>/tags/<str:tag>/", views.tag_detail, name="blog_tag_detail"),
    path("blogs/<slug:blog>/archive/", views.archive_index, name="blog_archive_index"),
    re_path(
        rf"^blogs/(?P<blog>[-\w]+)/archive/{YEAR}/$",
        views.archive_period,
        name="blog_archive_year",
    ),
    re_path(
        rf"^blogs/(?P<blog>[-\w]+)/archive/{YEAR}/{MONTH}/$",
        views.archive_period,
        name="blog_archive_month",
    ),
]
