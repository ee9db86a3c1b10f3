from django.urls import path

from . import views

app_name = "missions"

urlpatterns = [
    path("<slug:slug>/", views.mission_detail, name="detail"),
]
