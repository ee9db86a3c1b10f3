from typing import Any

from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import queries, translation_admin
from .models import Blogger, EntryPage


class BloggerViewSet(SnippetViewSet):
    model = Blogger
    icon = "user"
    menu_label = "Bloggers"
    add_to_admin_menu = True
    menu_order = 200
    list_display = ["display_name", "job_title", "mission"]
    list_filter = ["mission"]
    search_fields = ["display_name", "job_title"]


register_snippet(BloggerViewSet)


# Translations ------------------------------------------------------------------------------


@hooks.register("register_admin_urls")
def translation_admin_urls() -> list:
    return [
        path(
            "entries/<id:entry_id>/translate/",
            translation_admin.entry_translate,
            name="blogs_entry_translate",
        ),
        path(
            "entries/translations-missing/",
            translation_admin.translations_missing,
            name="blogs_translations_missing",
        ),
    ]


class TranslateEntryButton(PageMenuItem):
    label = _("Translate")
    icon_name = "globe"
    url_name = "blogs_entry_translate"

    def is_shown(self, user: object) -> bool:
        # can_copy: may create a page beside this one, which is what a translation is.
        return self.page.specific_class is EntryPage and bool(
            self.page.permissions_for_user(user).can_copy()
        )


@hooks.register("register_page_header_buttons")
def translate_header_button(page, user, view_name, next_url=None):  # type: ignore[no-untyped-def]
    yield TranslateEntryButton(page=page, priority=35)


@hooks.register("register_page_listing_more_buttons")
def translate_listing_button(page, user, next_url=None):  # type: ignore[no-untyped-def]
    yield TranslateEntryButton(page=page, priority=25)


class TranslationsMissingMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return translation_admin.may_translate(request.user)


@hooks.register("register_reports_menu_item")
def translations_missing_menu_item() -> MenuItem:
    return TranslationsMissingMenuItem(
        _("Entries to translate"),
        reverse("blogs_translations_missing"),
        name="entries-to-translate",
        icon_name="globe",
        order=900,
    )


# Drafts -----------------------------------------------------------------------------------


# Wagtail's page chooser (links in rich text, "Translation of") browses and searches the whole
# tree: without this, a blogger would read the titles of other blogs' drafts there.
@hooks.register("construct_page_chooser_queryset")
def page_chooser_drafts_hidden(pages: Any, request: HttpRequest) -> Any:
    return queries.admin_pages_visible(user=request.user, pages=pages)
