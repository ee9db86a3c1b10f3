"""The reads behind the digital team's access pages."""

from dragoman.authoring import queries, services
from tests.factories import BlogFactory, BloggerFactory

from .conftest import Network, user_create


def test_a_user_may_write_on_the_blogs_granted_to_them_alphabetically(network: Network):
    later = BlogFactory(title="Zanzibar notes")
    earlier = BlogFactory(title="Alexandria notes")
    services.blogger_grant(blogger=network.blogger, blogs=[later, earlier], acting_user=None)

    blogs = list(queries.blogs_of_user(network.blogger_user))

    assert blogs == [earlier, network.own_blog, later]


def test_a_user_without_grants_may_write_nowhere(network: Network):
    assert list(queries.blogs_of_user(network.moderator)) == []


def test_access_overview_lists_bloggers_with_an_account_and_their_blogs(network: Network):
    rows = queries.access_overview()

    assert [(row.blogger, row.blogs) for row in rows] == [(network.blogger, [network.own_blog])]


def test_access_overview_shows_a_pending_invitation_until_it_is_accepted(network: Network):
    invitation = services.blogger_invite(
        acting_user=network.digital,
        name="Layla Mansour",
        email="layla@example.org",
        job_title="Deputy Head of Mission",
        mission=None,
        blogs=[network.other_blog],
    )

    pending = {
        row.blogger.display_name: row.invitation_pending for row in queries.access_overview()
    }
    services.invitation_accept(user=invitation.user, password="Tunis-harbour-at-dawn-2026")
    accepted = {
        row.blogger.display_name: row.invitation_pending for row in queries.access_overview()
    }

    assert pending == {"Amira Haddad": False, "Layla Mansour": True}
    assert accepted == {"Amira Haddad": False, "Layla Mansour": False}


def test_access_overview_takes_three_queries_however_many_bloggers(
    network: Network, django_assert_num_queries
):
    for number in range(5):
        blogger = BloggerFactory(user=user_create(f"writer{number}"))
        services.blogger_grant(blogger=blogger, blogs=[BlogFactory()], acting_user=None)

    with django_assert_num_queries(3):
        rows = queries.access_overview()
        # What the page reads of each row must already be loaded.
        shown = [
            (row.blogger.user.get_username(), row.invitation_pending, [b.title for b in row.blogs])
            for row in rows
        ]

    assert len(shown) == 6


def test_blogs_with_review_say_which_blogs_ask_for_review(network: Network):
    services.blog_review_set(acting_user=network.digital, blog=network.other_blog, required=True)

    blogs = queries.blogs_with_review()

    assert blogs == [(network.other_blog, True), (network.own_blog, False)]
