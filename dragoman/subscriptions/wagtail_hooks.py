"""The subscriptions' page in the admin: counts for the digital team, and one person's data
to export or erase."""

from __future__ import annotations

from typing import Any

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views

PERMISSION = "subscriptions.manage_subscribers"

admin_urls = (
    [path("", admin_views.overview, name="overview")],
    "subscriptions_admin",
)


@hooks.register("register_admin_urls")
def register_admin_urls() -> list[Any]:
    return [path("subscriptions/", include(admin_urls))]


class SubscriptionsMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return bool(request.user.has_perm(PERMISSION))


@hooks.register("register_admin_menu_item")
def register_subscriptions_menu_item() -> MenuItem:
    return SubscriptionsMenuItem(
        gettext_lazy("Email subscriptions"),
        reverse("subscriptions_admin:overview"),
        name="subscriptions",
        icon_name="mail",
        order=260,
    )
