from django.urls import include, path

from . import views

app_name = "communities"

# Public: the list of listed communities, each one's page and its request form.
public_urlpatterns = [
    path("", views.community_list, name="list"),
    path("<slug:slug>/", views.community_public, name="public"),
    path("<slug:slug>/request/", views.join_request, name="request"),
]

# Members' pages: their own prefix, answered 404 to anyone not an active member.
member_urlpatterns = [
    path("", views.mine, name="mine"),
    path("account/", views.account, name="account"),
    path("account/export.json", views.account_export, name="export"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    # Images and documents of communities' collections (media.py gives them this address).
    path("media/<path:name>", views.media_file, name="media"),
    path("<slug:slug>/", views.home, name="home"),
    path("<slug:slug>/threads/", views.topic_list, name="topics"),
    path("<slug:slug>/threads/new/", views.topic_new, name="topic_new"),
    path("<slug:slug>/threads/<id:topic_id>/", views.topic_detail, name="topic"),
    path(
        "<slug:slug>/threads/<id:topic_id>/moderate/", views.topic_moderate, name="topic_moderate"
    ),
    path(
        "<slug:slug>/replies/<id:reply_id>/moderate/", views.reply_moderate, name="reply_moderate"
    ),
    path("<slug:slug>/files/<id:attachment_id>/", views.attachment, name="attachment"),
    path("<slug:slug>/events/", views.event_list, name="events"),
    path("<slug:slug>/events/<id:event_id>.ics", views.event_ics, name="event_ics"),
    path("<slug:slug>/directory/", views.directory, name="directory"),
    path("<slug:slug>/settings/", views.settings_page, name="settings"),
    path("<slug:slug>/manage/", views.manage, name="manage"),
    path("<slug:slug>/feed/<str:token>/", views.private_feed, name="feed"),
]

urlpatterns = [
    path("communities/", include(public_urlpatterns)),
    path("members/", include(member_urlpatterns)),
]
