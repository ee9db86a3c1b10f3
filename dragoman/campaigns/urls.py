from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("<id:campaign_id>/message/", views.message_create, name="message_create"),
    path("<id:campaign_id>/from/<str:country>/", views.country_wall, name="country_wall"),
    path("thanks/<str:token>/", views.thanks, name="thanks"),
]
