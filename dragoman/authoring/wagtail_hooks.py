"""The digital team's access pages in the admin, and guards on blogs themselves."""

from typing import Any

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from dragoman.blogs.models import Blogger, BlogPage

from . import views
from .audit import AuditView
from .services import MANAGE_BLOGGERS


@hooks.register("register_admin_urls")
def register_admin_urls() -> list:
    return [
        path("access/", views.AccessIndexView.as_view(), name="authoring_access"),
        path("access/invite/", views.InviteView.as_view(), name="authoring_invite"),
        path(
            "access/bloggers/<id:blogger_id>/",
            views.BloggerAccessView.as_view(),
            name="authoring_blogger_access",
        ),
        path("access/blogs/<id:blog_id>/review/", views.blog_review, name="authoring_review"),
        path("profile/", views.ProfileView.as_view(), name="authoring_profile"),
        path("reports/audit/", AuditView.as_view(), name="authoring_audit"),
        path(
            "reports/audit/results/",
            AuditView.as_view(results_only=True),
            name="authoring_audit_results",
        ),
    ]


class ManageBloggersMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(MANAGE_BLOGGERS)


@hooks.register("register_admin_menu_item")
def register_access_menu_item() -> MenuItem:
    return ManageBloggersMenuItem(
        _("Permission to blog"), reverse("authoring_access"), icon_name="group", order=250
    )


class ProfileMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return Blogger.objects.filter(user_id=request.user.pk or 0).exists()


@hooks.register("register_admin_menu_item")
def register_profile_menu_item() -> MenuItem:
    return ProfileMenuItem(
        _("My public profile"), reverse("authoring_profile"), icon_name="user", order=260
    )


@hooks.register("register_reports_menu_item")
def register_audit_menu_item() -> MenuItem:
    return ManageBloggersMenuItem(
        _("Audit"), reverse("authoring_audit"), icon_name="history", order=750
    )


@hooks.register("register_permissions")
def register_permissions() -> Any:
    return Permission.objects.filter(
        content_type__app_label="authoring", codename="manage_bloggers"
    )


def _blog_itself_guard(request: HttpRequest, page: Any, *args: Any) -> None:
    # Opening and closing blogs is the digital team's decision: a blogger's change and
    # publish permissions on the blog's subtree cover its entries, not the blog itself.
    if page.specific_class is BlogPage and not request.user.has_perm(MANAGE_BLOGGERS):
        raise PermissionDenied


hooks.register("before_delete_page", _blog_itself_guard)
hooks.register("before_unpublish_page", _blog_itself_guard)
hooks.register("before_move_page", _blog_itself_guard)
hooks.register("before_copy_page", _blog_itself_guard)
