"""A community's managers write on its private blog and fill its collection in the real Wagtail
admin, and nobody else does: not its ordinary members, not another community's managers, and
not a manager once removed or made an ordinary member (their next request is refused)."""

from __future__ import annotations

import importlib
import re
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from wagtail.images import get_image_model

from dragoman.blogs.models import Blogger, EntryPage
from dragoman.communities import rights, services
from dragoman.communities.models import AuditEntry, Community, Membership
from dragoman.demo.images import landscape_png
from tests.authoring.conftest import entry_form_data
from tests.factories import BlogFactory, BloggerFactory, EntryFactory

from .conftest import Two, person

pytestmark = pytest.mark.django_db


def refused(response: Any) -> bool:
    """Wagtail refuses with 403, or redirects: to its dashboard with an apology (someone who
    may open the admin), or to the sign-in (someone who may not)."""
    if response.status_code == 403:
        return True
    return response.status_code == 302 and (
        response.url == reverse("wagtailadmin_home")
        or response.url.startswith(reverse("wagtailadmin_login"))
    )


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def add_entry_url(community: Community) -> str:
    assert community.blog is not None
    return reverse("wagtailadmin_pages:add", args=("blogs", "entrypage", community.blog.pk))


def entry_publish(client: Client, community: Community, title: str) -> Any:
    author = Blogger.objects.get(slug=rights.COMMUNITY_AUTHOR_SLUG)
    return client.post(
        add_entry_url(community),
        entry_form_data(title=title, blogger=author, **{"action-publish": "1"}),
    )


def image_upload(client: Client, community: Community, *, seed: int = 1) -> Any:
    assert community.collection is not None
    upload = SimpleUploadedFile("reunion.png", landscape_png(seed=seed), content_type="image/png")
    return client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": upload, "collection": community.collection.pk},
    )


@pytest.fixture
def manager_b(two: Two) -> Any:
    user = person("manager-b")
    services.member_add(community=two.b, user=user, role=Membership.Role.MANAGER, name="Manager B")
    return user


@pytest.fixture
def media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_manager_publishes_an_entry_that_only_members_read(two: Two):
    manager = signed_in(two.manager_a)
    assert two.a.blog is not None

    chooser = manager.get(reverse("wagtailadmin_pages:add_subpage", args=[two.a.blog.pk]))
    form = manager.get(add_entry_url(two.a))
    response = entry_publish(manager, two.a, "Alumni reunion in June")

    assert chooser.status_code in (200, 302) and not refused(chooser)
    assert form.status_code == 200
    assert response.status_code == 302
    entry = EntryPage.objects.get(title="Alumni reunion in June")
    assert entry.live and entry.get_parent().pk == two.a.blog.pk
    assert "Alumni reunion in June" in signed_in(two.member_a).get(entry.url).content.decode()
    for outsider in (Client(), signed_in(two.member_b), signed_in(two.staff)):
        assert outsider.get(entry.url).status_code == 404
    assert AuditEntry.objects.filter(
        community=two.a, actor=two.manager_a, action="entry_publish", detail=entry.title
    ).exists()


def test_the_credited_profile_names_neither_the_community_nor_its_manager(two: Two):
    entry_publish(signed_in(two.manager_a), two.a, "Alumni reunion in June")

    public = Client()
    profile = public.get(reverse("blogs:blogger_detail", args=[rights.COMMUNITY_AUTHOR_SLUG]))
    listing = public.get(reverse("blogs:blogger_list")).content.decode()

    assert profile.status_code == 200
    for secret in ("Alumni A", "Alumni reunion in June", "Manager A", "manager-a"):
        assert secret not in profile.content.decode()
        assert secret not in listing
    assert not Blogger.objects.filter(user=two.manager_a).exists()


def test_a_manager_uploads_an_image_into_the_communitys_collection(two: Two, media):
    response = image_upload(signed_in(two.manager_a), two.a)

    assert response.status_code == 200 and response.json()["success"]
    assert get_image_model().objects.filter(collection=two.a.collection).count() == 1


@pytest.mark.parametrize("who", ["ordinary member", "manager of B", "staff without rights"])
def test_others_cannot_write_on_the_blog_nor_upload_into_the_collection(
    two: Two, manager_b: Any, media, who: str
):
    user = {
        "ordinary member": two.member_a,
        "manager of B": manager_b,
        "staff without rights": two.staff,
    }[who]
    client = signed_in(user)
    assert two.a.blog is not None

    add_subpage = client.get(reverse("wagtailadmin_pages:add_subpage", args=[two.a.blog.pk]))
    form = client.get(add_entry_url(two.a))
    post = entry_publish(client, two.a, "Intrusion")
    upload = image_upload(client, two.a)

    assert refused(add_subpage)
    assert refused(form)
    assert refused(post)
    assert not EntryPage.objects.filter(title="Intrusion").exists()
    # Refused, or (a manager of B, whose only collection the form falls back to) put in B's.
    assert refused(upload) or upload.status_code == 200
    assert not get_image_model().objects.filter(collection=two.a.collection).exists()


def test_a_manager_of_b_writes_on_b_and_uploads_into_bs_collection(two: Two, manager_b: Any, media):
    client = signed_in(manager_b)

    assert entry_publish(client, two.b, "News for B").status_code == 302
    assert image_upload(client, two.b).json()["success"]
    assert EntryPage.objects.get(title="News for B").get_parent().pk == two.b.blog_id


def test_a_manager_sees_only_their_communitys_blog_and_publishes_nowhere_else(two: Two):
    public_blog = BlogFactory(title="Letters from Lima", bloggers=[BloggerFactory()])
    EntryFactory(blog=two.b.blog, authors=[BloggerFactory()], title="Secret of B")
    client = signed_in(two.manager_a)
    assert two.a.blog is not None and two.b.blog is not None

    explorer = client.get(reverse("wagtailadmin_explore_root"), follow=True)
    search = client.get(reverse("wagtailadmin_pages:search"), {"q": "Alumni"}).content.decode()
    chooser = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "Secret"})
    elsewhere = client.get(
        reverse("wagtailadmin_pages:add", args=("blogs", "entrypage", public_blog.pk))
    )
    other_blog = client.get(reverse("wagtailadmin_explore", args=[two.b.blog.pk]))

    assert explorer.status_code == 200
    assert "Alumni A" in explorer.content.decode()
    assert "Alumni B" not in explorer.content.decode()
    assert "Alumni B" not in search
    assert "Secret of B" not in chooser.content.decode()
    assert refused(elsewhere)
    assert refused(other_blog) or "Secret of B" not in other_blog.content.decode()


@pytest.mark.parametrize("change", ["removed", "made an ordinary member", "left", "deleted"])
def test_a_former_managers_next_request_is_refused(two: Two, media, change: str):
    other = person("manager-a2")
    services.member_add(community=two.a, user=other, role=Membership.Role.MANAGER, name="A2")
    client = signed_in(two.manager_a)
    assert client.get(add_entry_url(two.a)).status_code == 200
    membership = Membership.objects.get(community=two.a, user=two.manager_a)

    if change == "removed":
        services.member_remove(membership=membership, acting_user=other)
    elif change == "made an ordinary member":
        services.member_role_change(
            membership=membership, role=Membership.Role.MEMBER, acting_user=other
        )
    elif change == "left":
        services.member_leave(membership=membership)
    else:
        group = two.a.managers
        services.account_delete(user=two.manager_a)
        assert group is not None and list(group.user_set.all()) == [other]
        return

    assert refused(client.get(add_entry_url(two.a)))
    assert refused(entry_publish(client, two.a, "After the fact"))
    assert refused(image_upload(client, two.a))
    assert not get_image_model().objects.filter(collection=two.a.collection).exists()
    assert not EntryPage.objects.filter(title="After the fact").exists()
    assert not two.manager_a.groups.filter(pk=two.a.managers_id).exists()


def test_the_manage_page_makes_a_member_a_manager_and_back_with_an_audit_entry(two: Two):
    client = signed_in(two.manager_a)
    target = Membership.objects.get(community=two.a, user=two.member_a)
    url = reverse("communities:manage", args=[two.a.slug])

    client.post(url, {"action": "make_manager", "membership": target.pk})
    promoted = signed_in(two.member_a).get(add_entry_url(two.a)).status_code
    client.post(url, {"action": "make_member", "membership": target.pk})
    demoted = signed_in(two.member_a).get(add_entry_url(two.a))

    assert promoted == 200
    assert refused(demoted)
    assert list(
        AuditEntry.objects.filter(community=two.a, action="role_change").values_list(
            "detail", flat=True
        )
    ) == ["Member A: member", "Member A: manager"]


def test_a_manager_cannot_change_their_own_role(two: Two):
    membership = Membership.objects.get(community=two.a, user=two.manager_a)

    with pytest.raises(Exception, match="Another manager"):
        services.member_role_change(
            membership=membership, role=Membership.Role.MEMBER, acting_user=two.manager_a
        )

    membership.refresh_from_db()
    assert membership.is_manager


def test_a_member_cannot_change_roles(two: Two):
    target = Membership.objects.get(community=two.a, user=two.manager_a)

    with pytest.raises(Exception, match="Only a manager"):
        services.member_role_change(
            membership=target, role=Membership.Role.MEMBER, acting_user=two.member_a
        )


def test_the_managers_group_is_made_once_with_the_communitys_rights(two: Two):
    first = rights.managers_group_ensure(django_apps, two.a)
    again = rights.managers_group_ensure(django_apps, two.a)

    assert first == again == two.a.managers
    assert first.user_set.filter(pk=two.manager_a.pk).exists()
    assert not first.user_set.filter(pk=two.member_a.pk).exists()
    assert set(first.page_permissions.values_list("page_id", flat=True)) == {two.a.blog_id}
    assert set(first.collection_permissions.values_list("collection_id", flat=True)) == {
        two.a.collection_id
    }


def test_a_manager_lists_only_their_communitys_images(two: Two, manager_b: Any, media):
    image_upload(signed_in(manager_b), two.b, seed=2)
    image_upload(signed_in(two.manager_a), two.a, seed=3)
    get_image_model().objects.filter(collection=two.b.collection).update(title="Picnic of B")
    get_image_model().objects.filter(collection=two.a.collection).update(title="Dinner of A")

    listing = signed_in(two.manager_a).get(reverse("wagtailimages:index")).content.decode()

    assert "Dinner of A" in listing
    assert "Picnic of B" not in listing


def test_a_manager_opens_the_admin_and_finds_the_shared_author_in_the_chooser(two: Two):
    client = signed_in(two.manager_a)

    dashboard = client.get(reverse("wagtailadmin_home"))
    chooser = client.get(
        reverse("wagtailsnippetchoosers_blogs_blogger:choose_results"), {"q": "Community"}
    )

    assert dashboard.status_code == 200
    assert rights.COMMUNITY_AUTHOR_NAME in chooser.content.decode()


def test_the_data_migration_gives_existing_communities_their_managers_group(two: Two):
    migration = importlib.import_module(
        "dragoman.communities.migrations.0004_community_managers_rights"
    )
    # As before the migration: no managers' group, no shared author.
    old_group = two.a.managers
    Community.objects.update(managers=None)
    assert old_group is not None
    old_group.delete()
    Blogger.objects.filter(slug=rights.COMMUNITY_AUTHOR_SLUG).delete()

    migration.managers_rights_grant(django_apps, None)

    community = Community.objects.get(pk=two.a.pk)
    assert community.managers is not None
    assert list(community.managers.user_set.all()) == [two.manager_a]
    assert Blogger.objects.filter(slug=rights.COMMUNITY_AUTHOR_SLUG).exists()
    assert signed_in(two.manager_a).get(add_entry_url(community)).status_code == 200


@pytest.mark.parametrize("page", ["blog", "entry"])
def test_nobody_but_a_superuser_changes_the_privacy_of_a_communitys_blog(two: Two, page):
    entry_publish(signed_in(two.manager_a), two.a, "Alumni reunion in June")
    target = two.a.blog if page == "blog" else EntryPage.objects.get(title__startswith="Alumni")
    assert target is not None
    url = reverse("wagtailadmin_pages:set_privacy", args=[target.pk])
    manager = signed_in(two.manager_a)

    shown = manager.get(url)
    made_public = manager.post(url, {"restriction_type": "none"})

    assert refused(shown)
    assert refused(made_public)
    assert two.a.blog is not None and two.a.blog.view_restrictions.count() == 1
    assert Client().get(target.url).status_code == 404
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    assert signed_in(admin).get(url).status_code == 200


def test_the_privacy_setting_of_a_public_blog_is_wagtails_own(two: Two):
    public_blog = BlogFactory(title="Letters from Lima", bloggers=[BloggerFactory()])
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")

    response = signed_in(admin).get(
        reverse("wagtailadmin_pages:set_privacy", args=[public_blog.pk])
    )

    assert response.status_code == 200
    assert refused(Client().get(reverse("wagtailadmin_pages:set_privacy", args=[public_blog.pk])))


def test_the_communitys_home_offers_its_managers_alone_to_write_an_entry(two: Two):
    assert two.a.blog is not None
    link = reverse("wagtailadmin_pages:add_subpage", args=[two.a.blog.pk])
    home = reverse("communities:home", args=[two.a.slug])

    assert link in signed_in(two.manager_a).get(home).content.decode()
    assert link not in signed_in(two.member_a).get(home).content.decode()


def test_a_manager_edits_and_republishes_their_entry_and_the_log_says_so(two: Two):
    client = signed_in(two.manager_a)
    entry_publish(client, two.a, "Alumni reunion in June")
    entry = EntryPage.objects.get(title="Alumni reunion in June")
    credit = entry.entry_authors.get()

    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[entry.pk]),
        entry_form_data(
            title="Alumni reunion in July",
            blogger=credit.blogger,
            credit_id=credit.pk,
            **{"action-publish": "1"},
        ),
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "Alumni reunion in July" and entry.live
    assert list(
        AuditEntry.objects.filter(community=two.a, action="entry_publish").values_list(
            "detail", flat=True
        )
    ) == ["Alumni reunion in July", "Alumni reunion in June"]


def credited_on_opening(client: Client, community: Community) -> str:
    """The blogger the new entry's author field holds when its editor opens."""
    page = client.get(add_entry_url(community)).content.decode()
    found = re.search(r'name="entry_authors-0-blogger"[^>]*value="(\d*)"', page) or re.search(
        r'value="(\d*)"[^>]*name="entry_authors-0-blogger"', page
    )
    return found.group(1) if found else ""


def test_a_managers_new_entry_opens_credited_to_the_shared_profile(two: Two):
    author = Blogger.objects.get(slug=rights.COMMUNITY_AUTHOR_SLUG)

    assert credited_on_opening(signed_in(two.manager_a), two.a) == str(author.pk)


def test_a_manager_with_a_profile_of_their_own_opens_credited_to_it(two: Two):
    own = BloggerFactory(display_name="Amira Haddad", user=two.manager_a)

    assert credited_on_opening(signed_in(two.manager_a), two.a) == str(own.pk)


def test_an_image_a_manager_uploads_is_in_the_communitys_audit_log(two: Two, media):
    from dragoman.communities.models import AuditEntry

    image_upload(signed_in(two.manager_a), two.a)

    entry = AuditEntry.objects.get(community=two.a, action="image_add")
    assert entry.actor == two.manager_a
    assert not AuditEntry.objects.filter(community=two.b, action="image_add").exists()
