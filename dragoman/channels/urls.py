from django.urls import path

from . import views

app_name = "channels"

urlpatterns = [
    path("", views.register, name="register"),
    path("register.csv", views.register_export, {"format": "csv"}, name="register_csv"),
    path("register.json", views.register_export, {"format": "json"}, name="register_json"),
    path("check/", views.check, name="check"),
]
