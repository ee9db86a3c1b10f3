from django.urls import path

from . import views

urlpatterns = [
    path("readyz", views.ready, name="ready"),
    path("metrics", views.metrics_view, name="metrics"),
]
