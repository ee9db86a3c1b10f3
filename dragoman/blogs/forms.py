"""The entry editor's form: Wagtail's page form with the rules entries add to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

# Who a new entry is credited to when its editor first opens (the writer may change it): the
# writer's own profile, else what an app that builds on blogs says, registered from its
# AppConfig.ready (communities: the shared profile of its managers' entries).
AuthorFinder = Callable[[Any, Any], Any]
default_author_finders: list[AuthorFinder] = []


def default_author_provide(finder: AuthorFinder) -> None:
    """Register `finder(user, parent_page) -> Blogger | None`, asked in order of registration."""
    if finder not in default_author_finders:
        default_author_finders.append(finder)


def default_author(*, user: Any, parent_page: Any) -> Any:
    from .models import Blogger

    if user is None or not user.is_authenticated:
        return None
    own = Blogger.objects.filter(user_id=user.pk).first()
    if own is not None:
        return own
    for finder in default_author_finders:
        found = finder(user, parent_page)
        if found is not None:
            return found
    return None


class EntryPageForm(WagtailAdminPageForm):
    """A go-live time, when newly set, must lie in the future.

    Wagtail publishes at once when the time has passed; a blogger who typed a past time
    almost certainly made a mistake, so we say so instead of publishing.

    A new entry's editor opens with its author chosen (`default_author`).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        authors = self.formsets.get("entry_authors")
        if self.is_bound or self.instance.pk is not None or authors is None:
            return
        if authors.initial_form_count():
            return  # a copy or a translation brings its own
        author = default_author(user=self.for_user, parent_page=self.parent_page)
        if author is not None:
            # The empty form InlinePanel(min_num=1) shows, filled; read before forms are built.
            authors.initial_extra = [{"blogger": author.pk}]
            authors.__dict__.pop("forms", None)

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        go_live_at = cleaned_data.get("go_live_at")
        if go_live_at and "go_live_at" in self.changed_data and go_live_at <= timezone.now():
            self.add_error(
                "go_live_at",
                _("This time has already passed. Choose a time in the future, or publish now."),
            )
        return cleaned_data
