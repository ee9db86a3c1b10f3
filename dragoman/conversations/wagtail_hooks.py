"""The conversations part of the admin: queue (with the pending count in the menu), report,
and the per-blog settings."""

from __future__ import annotations

from typing import Any

from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views, queries, services
from .models import BlogConversationSettings

admin_urls = (
    [
        path("", admin_views.queue, name="queue"),
        path("<id:comment_id>/reply/", admin_views.reply, name="reply"),
        path("report/", admin_views.report, name="report"),
    ],
    "conversations_admin",
)


@hooks.register("register_admin_urls")
def register_admin_urls() -> list[Any]:
    return [path("conversations/", include(admin_urls))]


class CommentsMenuItem(MenuItem):
    """ "Comments (3)": the queue, with how many comments wait for this person."""

    def is_shown(self, request: Any) -> bool:
        return services.user_can_moderate_any(request.user)

    def render_component(self, request: Any) -> LinkMenuItemComponent:
        waiting = queries.pending_count(request.user)
        label = _("Comments (%(count)d waiting)") % {"count": waiting} if waiting else _("Comments")
        return LinkMenuItemComponent(
            self.name, label, self.url, icon_name=self.icon_name, attrs=self.attrs
        )


@hooks.register("register_admin_menu_item")
def register_comments_menu_item() -> MenuItem:
    return CommentsMenuItem(
        gettext_lazy("Comments"),
        reverse("conversations_admin:queue"),
        name="comments",
        icon_name="comment",
        order=250,
    )


class ReportMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return bool(request.user.has_perm("conversations.moderate_comment"))


@hooks.register("register_reports_menu_item")
def register_report_menu_item() -> MenuItem:
    return ReportMenuItem(
        gettext_lazy("Answering comments"),
        reverse("conversations_admin:report"),
        name="answering-comments",
        icon_name="time",
        order=800,
    )


class BlogConversationSettingsViewSet(SnippetViewSet):
    model = BlogConversationSettings
    icon = "comment"
    menu_label = gettext_lazy("Blog conversation settings")
    # Beside the network's switch in Settings, where the digital team looks for it, rather
    # than among the snippets.
    add_to_settings_menu = True
    menu_name = "blog-conversation-settings"
    list_display = ["blog", "mode", "close_after_days"]


register_snippet(BlogConversationSettingsViewSet)
