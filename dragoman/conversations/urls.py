from django.urls import path

from . import feeds, views

app_name = "conversations"

urlpatterns = [
    path("conversations/policy/", views.policy, name="policy"),
    path(
        "conversations/entries/<int:entry_id>/comment/",
        views.comment_create,
        name="comment_create",
    ),
    path("conversations/thanks/<str:token>/", views.thanks, name="thanks"),
    path("conversations/feed/atom/", feeds.CommentFeed(), name="network_atom"),
    path(
        "conversations/entries/<int:entry_id>/feed/atom/",
        feeds.EntryCommentFeed(),
        name="entry_atom",
    ),
    # "comments" is a reserved entry slug (blogs.models.RESERVED_ENTRY_SLUGS) for this address.
    path("blogs/<slug:blog>/comments/feed/atom/", feeds.BlogCommentFeed(), name="blog_atom"),
]
