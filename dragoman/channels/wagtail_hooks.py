"""The register in the Wagtail admin: edit with history, and import a CSV with a preview."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .forms import ChannelAdminForm
from .models import Channel


class ChannelViewSet(SnippetViewSet):
    """Snippets with revisions: each channel's History shows who changed what, and when."""

    model = Channel
    icon = "link"
    menu_label = _("Channels")
    add_to_admin_menu = True
    menu_order = 310
    list_display = ["__str__", "platform", "owner_name", "status", "verified_on"]
    list_filter = ["platform", "status", "audience"]
    search_fields = ["handle", "platform_id", "note"]
    list_export = ["platform", "handle", "platform_id", "url", "owner_name", "status"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Channel]:
        # The listing shows each channel's owner: load them with the channels.
        return Channel.objects.select_related("mission", "blogger")

    edit_handler = ObjectList(
        [
            FieldPanel("platform"),
            FieldPanel("handle"),
            FieldPanel("platform_id"),
            MultiFieldPanel(
                [FieldPanel("mission"), FieldPanel("blogger")],
                heading=_("Owner: a mission or an official (one of the two)"),
            ),
            FieldPanel("languages"),
            FieldPanel("audience"),
            FieldPanel("status"),
            FieldPanel("verified_on"),
            FieldPanel("note"),
        ],
        base_form_class=ChannelAdminForm,
    )


register_snippet(ChannelViewSet)


@hooks.register("register_admin_urls")
def channel_import_urls() -> list[Any]:
    return [path("channels/import/", admin_views.channel_import, name="channels_import")]


class ImportMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return admin_views.may_import(request.user)


@hooks.register("register_admin_menu_item")
def channel_import_menu_item() -> MenuItem:
    return ImportMenuItem(
        _("Import channels"), reverse("channels_import"), icon_name="upload", order=311
    )
