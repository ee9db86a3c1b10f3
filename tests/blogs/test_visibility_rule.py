"""The rule of what a reader may see (`EntryPage.objects.visible`, `is_visible_to`), by reader
and kind of private section, in its filter and predicate forms alike."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.utils import timezone
from wagtail.models import PageViewRestriction

from dragoman.blogs.models import EntryPage
from tests.factories import BlogFactory, EntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def readers(django_user_model):
    group = Group.objects.create(name="Alumni")
    member = django_user_model.objects.create_user(username="member", password="x")
    member.groups.add(group)
    return {
        "public": None,
        "anonymous": AnonymousUser(),
        "member": member,
        "non-member": django_user_model.objects.create_user(username="other", password="x"),
        "superuser": django_user_model.objects.create_superuser(username="root", password="x"),
        "group": group,
    }


# What each reader sees of an entry in a blog with this restriction (None: a public blog).
CASES = [
    (None, {"public", "anonymous", "member", "non-member", "superuser"}),
    (PageViewRestriction.LOGIN, {"member", "non-member", "superuser"}),
    (PageViewRestriction.GROUPS, {"member", "superuser"}),
    (PageViewRestriction.PASSWORD, set()),  # a list cannot ask for a password
]


@pytest.mark.parametrize(("restriction_type", "seen_by"), CASES)
def test_a_private_section_is_seen_by_exactly_the_readers_it_lets_in(
    readers, restriction_type, seen_by
):
    blog = BlogFactory()
    entry = EntryFactory(blog=blog)
    if restriction_type is not None:
        restriction = PageViewRestriction.objects.create(
            page=blog, restriction_type=restriction_type, password="secret"
        )
        restriction.groups.set([readers["group"]])

    for name in ("public", "anonymous", "member", "non-member", "superuser"):
        reader = readers[name]
        in_list = EntryPage.objects.visible(reader).filter(pk=entry.pk).exists()
        one = EntryPage.objects.get(pk=entry.pk).is_visible_to(reader)
        assert in_list is one is (name in seen_by), name


def test_drafts_and_future_entries_are_seen_by_no_one(readers):
    draft = EntryFactory(live=False)
    scheduled = EntryFactory(date=timezone.now() + timedelta(days=1))

    for name in ("public", "member", "superuser"):
        visible = EntryPage.objects.visible(readers[name])
        assert not visible.filter(pk__in=[draft.pk, scheduled.pk]).exists(), name
        assert not EntryPage.objects.get(pk=draft.pk).is_visible_to(readers[name])
        assert not EntryPage.objects.get(pk=scheduled.pk).is_visible_to(readers[name])
