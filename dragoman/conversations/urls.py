from django.urls import path
from django.views.decorators.cache import cache_control

from . import feeds, views

# Comment feeds are not in the page cache (nothing refreshes them there when a comment is
# approved or withdrawn): feed readers and CDNs may keep them a minute.
briefly_cached = cache_control(public=True, max_age=60)

app_name = "conversations"

urlpatterns = [
    path("conversations/policy/", views.policy, name="policy"),
    path(
        "conversations/entries/<id:entry_id>/comment/",
        views.comment_create,
        name="comment_create",
    ),
    path("conversations/thanks/<str:token>/", views.thanks, name="thanks"),
    path("conversations/feed/atom/", briefly_cached(feeds.CommentFeed()), name="network_atom"),
    path(
        "conversations/entries/<id:entry_id>/feed/atom/",
        briefly_cached(feeds.EntryCommentFeed()),
        name="entry_atom",
    ),
    # "comments" is a reserved entry slug (blogs.models.RESERVED_ENTRY_SLUGS) for this address.
    path(
        "blogs/<slug:blog>/comments/feed/atom/",
        briefly_cached(feeds.BlogCommentFeed()),
        name="blog_atom",
    ),
]
