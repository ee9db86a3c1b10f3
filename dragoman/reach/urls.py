from django.urls import path

from . import views

app_name = "reach"

urlpatterns = [
    path("", views.mirror_list, name="mirror_list"),
    path("feed/", views.MirrorFeed(), name="mirror_feed"),
]
