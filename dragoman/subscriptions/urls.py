from django.urls import path

from . import views

app_name = "subscriptions"

urlpatterns = [
    path("subscriptions/follow/", views.follow, name="follow"),
    path("subscriptions/check-your-inbox/", views.check_inbox, name="check_inbox"),
    path("subscriptions/confirm/<str:token>/", views.confirm, name="confirm"),
    path("subscriptions/manage/<str:token>/", views.manage, name="manage"),
    path("subscriptions/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("subscriptions/unsubscribed/", views.unsubscribed, name="unsubscribed"),
]
