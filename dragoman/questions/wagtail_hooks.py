"""The question sessions in the admin: the list of sessions and each one's live screen."""

from __future__ import annotations

from typing import Any

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views

admin_urls = (
    [
        path("", admin_views.sessions, name="sessions"),
        path("<id:session_id>/", admin_views.live, name="live"),
        path("<id:session_id>/<id:question_id>/", admin_views.act, name="act"),
    ],
    "questions_admin",
)


@hooks.register("register_admin_urls")
def register_admin_urls() -> list[Any]:
    return [path("questions/", include(admin_urls))]


class SessionsMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        user = request.user
        return bool(
            user.has_perm("questions.moderate_question")
            or user.has_perm("conversations.moderate_comment")
        )


@hooks.register("register_admin_menu_item")
def register_sessions_menu_item() -> MenuItem:
    return SessionsMenuItem(
        gettext_lazy("Question sessions"),
        reverse("questions_admin:sessions"),
        name="question-sessions",
        icon_name="help",
        order=260,
    )
