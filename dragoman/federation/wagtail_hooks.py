"""The federation in the Wagtail admin: blocks, blocklists, followers, groups, reactions;
and the ActivityPub form of blog and entry pages (negotiation.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    CreateView,
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from . import admin_views, services
from .models import ActorBlock, BlocklistSubscription, DomainBlock, Follow, LocalActor, Received
from .negotiation import page_response


@hooks.register("before_serve_page")
def activity_form(page: Any, request: HttpRequest, args: Any, kwargs: Any) -> HttpResponse | None:
    return page_response(page, request)


class DomainBlockViewSet(SnippetViewSet):
    model = DomainBlock
    icon = "warning"
    list_display = ["domain", "severity", "reject_media", "source"]
    list_filter = ["severity", "reject_media"]
    search_fields = ["domain"]


class ActorBlockViewSet(SnippetViewSet):
    model = ActorBlock
    icon = "warning"
    list_display = ["uri", "severity"]


class SubscriptionViewSet(SnippetViewSet):
    model = BlocklistSubscription
    icon = "download"
    list_display = ["url", "last_fetched_at", "last_error"]


class FollowViewSet(SnippetViewSet):
    model = Follow
    icon = "user"
    list_display = ["__str__", "status", "created_at"]
    list_filter = ["status", "direction"]


class ActorCreateView(CreateView):
    """ "Add" opens a practitioners' group, through the service: with its key pair, and a
    username of its own (a blog's or a blogger's actor is made when first asked for)."""

    def save_instance(self) -> LocalActor:
        data = self.form.cleaned_data
        actor = services.group_create(
            name=data["name"],
            summary=data.get("summary", ""),
            manually_approves_followers=data.get("manually_approves_followers", False),
        )
        self.form.instance = actor
        return actor


class ActorIndexView(IndexView):
    """The list of actors shows every public blog's, made here if nobody has looked the
    blog up yet, so that the team can make a blog ask for approval from its first follower."""

    def get_queryset(self) -> Any:
        services.blog_actors_ensure()
        return super().get_queryset()


class ActorViewSet(SnippetViewSet):
    model = LocalActor
    icon = "globe"
    list_display = ["username", "kind", "manually_approves_followers"]
    add_view_class = ActorCreateView
    index_view_class = ActorIndexView
    # The username and kind never change once made: followers know the actor by them.
    panels = [
        FieldPanel("name"),
        FieldPanel("summary"),
        FieldPanel("manually_approves_followers"),
    ]


class ReceivedViewSet(SnippetViewSet):
    model = Received
    icon = "mail"
    list_display = ["__str__", "local", "approved", "received_at"]
    list_filter = ["approved"]


class FederationGroup(SnippetViewSetGroup):
    menu_label = _("Federation")
    menu_icon = "globe"
    menu_order = 320
    items = (
        ActorViewSet,
        FollowViewSet,
        ReceivedViewSet,
        DomainBlockViewSet,
        ActorBlockViewSet,
        SubscriptionViewSet,
    )


register_snippet(FederationGroup)


admin_urls = ([path("", admin_views.waiting, name="waiting")], "federation_admin")


@hooks.register("register_admin_urls")
def register_admin_urls() -> list[Any]:
    return [path("federation-waiting/", include(admin_urls))]


class WaitingMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return bool(request.user.has_perm("federation.change_follow"))


@hooks.register("register_admin_menu_item")
def register_waiting_menu_item() -> MenuItem:
    return WaitingMenuItem(
        _("Followers waiting"),
        reverse("federation_admin:waiting"),
        name="federation-waiting",
        icon_name="user",
        order=321,
    )
