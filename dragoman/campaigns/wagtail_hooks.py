"""The campaigns in the admin menu, with how many messages wait."""

from __future__ import annotations

from typing import Any

from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent

from . import admin_views, queries, services

admin_urls = (
    [
        path("", admin_views.campaign_list, name="campaign_list"),
        path("<id:campaign_id>/", admin_views.queue, name="queue"),
        path("<id:campaign_id>/messages.csv", admin_views.export_csv, name="export_csv"),
        path("<id:campaign_id>/print/", admin_views.printable, name="printable"),
    ],
    "campaigns_admin",
)


@hooks.register("register_admin_urls")
def register_admin_urls() -> list[Any]:
    return [path("campaigns/", include(admin_urls))]


class CampaignsMenuItem(MenuItem):
    """ "Campaign messages (12 waiting)"."""

    def is_shown(self, request: Any) -> bool:
        return services.user_can_moderate(request.user)

    def render_component(self, request: Any) -> LinkMenuItemComponent:
        waiting = queries.pending_count()
        label = (
            _("Campaign messages (%(count)d waiting)") % {"count": waiting}
            if waiting
            else _("Campaign messages")
        )
        return LinkMenuItemComponent(
            self.name, label, self.url, icon_name=self.icon_name, attrs=self.attrs
        )


@hooks.register("register_admin_menu_item")
def register_campaigns_menu_item() -> MenuItem:
    return CampaignsMenuItem(
        gettext_lazy("Campaign messages"),
        reverse("campaigns_admin:campaign_list"),
        name="campaign-messages",
        icon_name="mail",
        order=260,
    )
