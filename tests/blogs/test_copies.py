"""Every copy kept for speed agrees with the rule of what readers may see, after every change.

The copies are the tag and month counts (`TagCount`, `MonthCount`), the search documents
(`EntryDocument`) and the entry's live flag and date kept on each tagging (`EntryTag`) and
each credit (`EntryAuthor`). After
each kind of change, driven through Wagtail's own APIs as the admin drives them, each copy is
compared with the same thing computed from scratch from the rule
(`EntryPage.objects.visible()`), and the rule's predicate form (`is_visible_to`) is held to
its filter form entry by entry.
"""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import django.utils.timezone
import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from dragoman.blogs import services
from dragoman.blogs.models import EntryAuthor, EntryPage, EntryTag
from dragoman.search.models import EntryDocument
from tests.blogs.counting import counts_from_the_rule, counts_kept
from tests.factories import BlogFactory, EntryFactory

pytestmark = pytest.mark.django_db


def assert_copies_follow_the_rule(step: str) -> None:
    visible = set(EntryPage.objects.visible().values_list("pk", flat=True))

    assert counts_kept() == counts_from_the_rule(), step
    assert set(EntryDocument.objects.values_list("entry_id", flat=True)) == visible, step
    for tagging in EntryTag.objects.select_related("content_object"):
        entry = tagging.content_object
        assert (tagging.entry_live, tagging.entry_date) == (entry.live, entry.date), step
    tagged_visible = set(EntryTag.objects.visible().values_list("content_object_id", flat=True))
    assert tagged_visible == visible & set(
        EntryTag.objects.values_list("content_object_id", flat=True)
    ), step
    for credit in EntryAuthor.objects.select_related("entry"):
        entry = credit.entry
        assert (credit.entry_live, credit.entry_date) == (entry.live, entry.date), step
    credited_visible = set(EntryAuthor.objects.visible().values_list("entry_id", flat=True))
    assert credited_visible == visible & set(
        EntryAuthor.objects.values_list("entry_id", flat=True)
    ), step
    for entry in EntryPage.objects.all():
        assert entry.is_visible_to(None) is (entry.pk in visible), (step, entry.title)


def test_every_copy_follows_the_rule_through_every_kind_of_change(monkeypatch):
    blog_a, blog_b = BlogFactory(), BlogFactory()
    now = timezone.now()
    EntryFactory(blog=blog_b, title="Always there", date=now - timedelta(days=40), tags=["trade"])
    state: dict[str, Any] = {}

    def publish() -> None:
        state["entry"] = EntryFactory(
            blog=blog_a, title="Water", date=now - timedelta(days=3), tags=["water", "trade"]
        )

    def edit_tags() -> None:
        entry = EntryPage.objects.get(pk=state["entry"].pk)
        entry.tags.set(["science", "trade"])
        entry.save_revision().publish()

    def schedule() -> None:
        state["scheduled"] = EntryFactory(
            blog=blog_a, title="Embargoed", date=now + timedelta(hours=1), tags=["water"]
        )
        services.entries_came_due()  # remembers when it last looked

    def date_passes() -> None:
        assert not state["scheduled"].is_visible_to(None)
        later = now + timedelta(hours=2)
        monkeypatch.setattr(django.utils.timezone, "now", lambda: later)
        assert services.entries_came_due() == 1

    def edit_date_into_another_month() -> None:
        entry = EntryPage.objects.get(pk=state["entry"].pk)
        entry.date = now - timedelta(days=70)
        entry.save_revision().publish()

    def move() -> None:
        EntryPage.objects.get(pk=state["entry"].pk).move(blog_b, pos="last-child")

    def make_private() -> None:
        state["restriction"] = PageViewRestriction.objects.create(
            page=blog_b, restriction_type=PageViewRestriction.LOGIN
        )

    def make_public() -> None:
        state["restriction"].delete()

    def unpublish() -> None:
        EntryPage.objects.get(pk=state["entry"].pk).unpublish()

    def publish_again() -> None:
        entry = EntryPage.objects.get(pk=state["entry"].pk)
        entry.save_revision().publish()

    def delete() -> None:
        EntryPage.objects.get(pk=state["scheduled"].pk).delete()

    steps: list[Callable[[], None]] = [
        publish,
        edit_tags,
        schedule,
        date_passes,
        edit_date_into_another_month,
        move,
        make_private,
        make_public,
        unpublish,
        publish_again,
        delete,
    ]
    assert_copies_follow_the_rule("before")
    for step in steps:
        step()
        assert_copies_follow_the_rule(step.__name__)

    # Not vacuous: the walk ends with both blogs' entries counted and found.
    tags, _months = counts_kept()
    assert tags[("trade", None)] == 2
    assert EntryDocument.objects.count() == 2


def test_a_private_section_hides_the_copies_for_the_public_but_not_for_signed_in_readers(
    django_user_model,
):
    blog = BlogFactory()
    entry = EntryFactory(blog=blog, tags=["alumni"])
    member = django_user_model.objects.create_user(username="member", password="x")

    PageViewRestriction.objects.create(page=blog, restriction_type=PageViewRestriction.LOGIN)

    assert_copies_follow_the_rule("private")
    assert not EntryPage.objects.visible().filter(pk=entry.pk).exists()
    assert not EntryTag.objects.visible().filter(content_object=entry).exists()
    assert EntryPage.objects.visible(member).filter(pk=entry.pk).exists()
    assert EntryTag.objects.visible(member).filter(content_object=entry).exists()
    assert EntryPage.objects.get(pk=entry.pk).is_visible_to(member)
