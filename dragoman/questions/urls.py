from django.urls import path

from . import feeds, views

app_name = "questions"

urlpatterns = [
    path("questions/<id:session_id>/ask/", views.question_create, name="question_create"),
    path(
        "questions/<id:session_id>/<id:question_id>/vote/",
        views.question_vote,
        name="question_vote",
    ),
    path("questions/<id:session_id>/calendar.ics", views.session_ics, name="session_ics"),
    # Asked by the live process (live.py), which keeps no copy of the rule of what readers see.
    path("questions/<id:page_id>/live.json", views.session_live, name="session_live"),
    path("questions/feed/atom/", feeds.TranscriptFeed(), name="feed"),
]
