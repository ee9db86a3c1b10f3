"""Who may change what in the admin: bloggers on their own blogs only, moderators on none."""

from typing import Any

import pytest
from django.urls import reverse

from dragoman.blogs.models import EntryPage
from tests.factories import EntryFactory

from .conftest import PASSWORD, Network, entry_form_data


def refused(response: Any) -> bool:
    """Wagtail refuses with 403, or sends the user back to the dashboard with an apology."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


def login(client: Any, user: Any) -> None:
    assert client.login(username=user.username, password=PASSWORD)


def entry_on(blog: Any, blogger: Any, title: str) -> EntryPage:
    return EntryFactory(blog=blog, authors=[blogger], title=title)


def test_blogger_adds_and_publishes_an_entry_on_their_own_blog(client, network: Network):
    login(client, network.blogger_user)
    url = reverse("wagtailadmin_pages:add", args=("blogs", "entrypage", network.own_blog.pk))

    response = client.post(
        url,
        entry_form_data(
            title="Ramadan nights in Tunis", blogger=network.blogger, **{"action-publish": "1"}
        ),
    )

    assert response.status_code == 302
    entry = EntryPage.objects.get(title="Ramadan nights in Tunis")
    assert entry.live
    assert "Ramadan nights in Tunis" in client.get(entry.url).content.decode()


def test_blogger_gets_403_adding_an_entry_on_another_blog(client, network: Network):
    login(client, network.blogger_user)
    url = reverse("wagtailadmin_pages:add", args=("blogs", "entrypage", network.other_blog.pk))

    get = client.get(url)
    post = client.post(url, entry_form_data(title="Intrusion", blogger=network.blogger))

    assert refused(get)
    assert refused(post)
    assert not EntryPage.objects.filter(title="Intrusion").exists()


def test_blogger_edits_and_publishes_their_own_entry(client, network: Network):
    entry = entry_on(network.own_blog, network.blogger, "First draft title")
    login(client, network.blogger_user)

    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(entry.pk,)),
        entry_form_data(
            title="Better title",
            blogger=network.blogger,
            credit_id=entry.entry_authors.get().pk,
            **{"action-publish": "1"},
        ),
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "Better title"
    assert entry.live


def test_blogger_gets_403_editing_or_publishing_an_entry_on_another_blog(client, network: Network):
    entry = entry_on(network.other_blog, network.other_blogger, "Not yours")
    login(client, network.blogger_user)
    url = reverse("wagtailadmin_pages:edit", args=(entry.pk,))

    get = client.get(url)
    post = client.post(
        url,
        entry_form_data(
            title="Hijacked",
            blogger=network.blogger,
            credit_id=entry.entry_authors.get().pk,
            **{"action-publish": "1"},
        ),
    )

    assert refused(get)
    assert refused(post)
    entry.refresh_from_db()
    assert entry.title == "Not yours"


@pytest.mark.parametrize("blog_name, expected", [("own_blog", 302), ("other_blog", 403)])
def test_unpublish_works_only_on_the_bloggers_own_blog(client, network, blog_name, expected):
    blog = getattr(network, blog_name)
    entry = entry_on(blog, blog.bloggers.first(), "To be withdrawn")
    login(client, network.blogger_user)

    response = client.post(reverse("wagtailadmin_pages:unpublish", args=(entry.pk,)))

    assert refused(response) if expected == 403 else response.status_code == expected
    entry.refresh_from_db()
    assert entry.live is (expected == 403)


@pytest.mark.parametrize("blog_name, expected", [("own_blog", 302), ("other_blog", 403)])
def test_delete_works_only_on_the_bloggers_own_blog(client, network, blog_name, expected):
    blog = getattr(network, blog_name)
    entry = entry_on(blog, blog.bloggers.first(), "To be deleted")
    login(client, network.blogger_user)

    response = client.post(reverse("wagtailadmin_pages:delete", args=(entry.pk,)))

    assert refused(response) if expected == 403 else response.status_code == expected
    assert EntryPage.objects.filter(pk=entry.pk).exists() is (expected == 403)


def test_blogger_cannot_move_an_entry_to_another_blog(client, network: Network):
    entry = entry_on(network.own_blog, network.blogger, "Stay here")
    login(client, network.blogger_user)

    response = client.post(
        reverse("wagtailadmin_pages:move_confirm", args=(entry.pk, network.other_blog.pk))
    )

    assert refused(response)
    assert entry.get_parent().pk == network.own_blog.pk


def test_blogger_cannot_move_another_blogs_entry_to_their_own(client, network: Network):
    entry = entry_on(network.other_blog, network.other_blogger, "Not yours to move")
    login(client, network.blogger_user)

    response = client.post(
        reverse("wagtailadmin_pages:move_confirm", args=(entry.pk, network.own_blog.pk))
    )

    assert refused(response)
    assert entry.get_parent().pk == network.other_blog.pk


def copy_data(destination: Any, slug: str) -> dict[str, Any]:
    return {
        "new_title": "A copy",
        "new_slug": slug,
        "new_parent_page": str(destination.pk),
        "copy_subpages": "",
        "publish_copies": "",
        "alias": "",
    }


def test_blogger_copies_an_entry_within_their_own_blog(client, network: Network):
    entry = entry_on(network.own_blog, network.blogger, "Worth repeating")
    login(client, network.blogger_user)

    response = client.post(
        reverse("wagtailadmin_pages:copy", args=(entry.pk,)),
        copy_data(network.own_blog, "a-copy"),
    )

    assert response.status_code == 302
    assert EntryPage.objects.child_of(network.own_blog).filter(slug="a-copy").exists()


def test_blogger_cannot_copy_an_entry_into_another_blog(client, network: Network):
    entry = entry_on(network.own_blog, network.blogger, "Worth repeating")
    login(client, network.blogger_user)

    response = client.post(
        reverse("wagtailadmin_pages:copy", args=(entry.pk,)),
        copy_data(network.other_blog, "smuggled"),
    )

    assert response.status_code in {200, 403}  # the form refuses the destination
    assert not EntryPage.objects.filter(slug="smuggled").exists()


def test_blogger_cannot_copy_another_blogs_entry(client, network: Network):
    entry = entry_on(network.other_blog, network.other_blogger, "Not yours to copy")
    login(client, network.blogger_user)

    response = client.post(
        reverse("wagtailadmin_pages:copy", args=(entry.pk,)),
        copy_data(network.other_blog, "stolen"),
    )

    assert refused(response)
    assert not EntryPage.objects.filter(slug="stolen").exists()


@pytest.mark.parametrize("blog_name, expected", [("own_blog", 200), ("other_blog", 403)])
def test_reverting_to_a_revision_works_only_on_the_bloggers_own_blog(
    client, network, blog_name, expected
):
    blog = getattr(network, blog_name)
    entry = entry_on(blog, blog.bloggers.first(), "Original wording")
    first = entry.latest_revision
    entry.title = "Changed wording"
    entry.save_revision().publish()
    login(client, network.blogger_user)

    response = client.get(reverse("wagtailadmin_pages:revisions_revert", args=(entry.pk, first.pk)))

    assert refused(response) if expected == 403 else response.status_code == expected
    if expected == 200:
        assert "Original wording" in response.content.decode()


def test_blogger_does_not_see_another_blogs_drafts_in_the_explorer(client, network: Network):
    EntryFactory(blog=network.other_blog, title="Secret draft", live=False)
    login(client, network.blogger_user)

    listing = client.get(reverse("wagtailadmin_explore", args=(network.other_blog.pk,)))

    assert "Secret draft" not in listing.content.decode()


def test_blogger_cannot_delete_or_unpublish_their_blog_itself(client, network: Network):
    empty_blog = network.own_blog
    login(client, network.blogger_user)

    delete = client.post(reverse("wagtailadmin_pages:delete", args=(empty_blog.pk,)))
    unpublish = client.post(reverse("wagtailadmin_pages:unpublish", args=(empty_blog.pk,)))

    assert refused(delete)
    assert refused(unpublish)
    empty_blog.refresh_from_db()
    assert empty_blog.live


def test_moderator_cannot_edit_or_add_entries(client, network: Network):
    entry = entry_on(network.own_blog, network.blogger, "Moderators keep out")
    login(client, network.moderator)

    edit = client.get(reverse("wagtailadmin_pages:edit", args=(entry.pk,)))
    add = client.get(
        reverse("wagtailadmin_pages:add", args=("blogs", "entrypage", network.own_blog.pk))
    )
    unpublish = client.post(reverse("wagtailadmin_pages:unpublish", args=(entry.pk,)))

    assert refused(edit)
    assert refused(add)
    assert refused(unpublish)
    entry.refresh_from_db()
    assert entry.live


def test_digital_team_edits_any_entry(client, network: Network):
    entry = entry_on(network.other_blog, network.other_blogger, "Needs a fix")
    login(client, network.digital)

    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(entry.pk,)),
        entry_form_data(
            title="Fixed by the digital team",
            blogger=network.other_blogger,
            credit_id=entry.entry_authors.get().pk,
            **{"action-publish": "1"},
        ),
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "Fixed by the digital team"
