from django.urls import path

from . import views

app_name = "federation"

# Outside the language prefixes: these addresses are for servers, not readers.
urlpatterns = [
    path(".well-known/webfinger", views.webfinger, name="webfinger"),
    path(".well-known/nodeinfo", views.nodeinfo_links, name="nodeinfo_links"),
    path("nodeinfo/2.1", views.nodeinfo, name="nodeinfo"),
    path("federation/inbox", views.shared_inbox, name="shared_inbox"),
    path("federation/actor", views.instance_actor, name="instance_actor"),
    path("federation/actors/<slug:username>", views.actor, name="actor"),
    path("federation/actors/<slug:username>/inbox", views.actor_inbox, name="actor_inbox"),
    path("federation/actors/<slug:username>/outbox", views.outbox, name="outbox"),
    path("federation/actors/<slug:username>/followers", views.followers, name="followers"),
    path("federation/actors/<slug:username>/following", views.following, name="following"),
    path("federation/activities/<str:key>", views.activity, name="activity"),
]
