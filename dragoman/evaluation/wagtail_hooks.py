"""The digital team's figures in the admin: the dashboard (Reports menu) and monthly reports."""

from __future__ import annotations

from typing import Any

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views

admin_urls = (
    [
        path("", views.dashboard, name="dashboard"),
        path(
            "report/<id:mission>/<int:year>/<int:month>/",
            views.monthly_report,
            name="report",
        ),
    ],
    "evaluation_admin",
)


@hooks.register("register_admin_urls")
def register_admin_urls() -> list[Any]:
    return [path("evaluation/", include(admin_urls))]


class FiguresMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return views.may_read_figures(request.user)


@hooks.register("register_reports_menu_item")
def register_figures_menu_item() -> MenuItem:
    return FiguresMenuItem(
        gettext_lazy("Figures (readers, shares, searches)"),
        reverse("evaluation_admin:dashboard"),
        name="evaluation-figures",
        icon_name="doc-full",
        order=810,
    )
