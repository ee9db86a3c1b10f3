"""The access pages of the admin and the invitation link, as the digital team and an invited
person use them. The whole invitation journey is in test_invitations.py."""

from urllib.parse import urlsplit

from django.urls import reverse

from dragoman.authoring import services
from dragoman.authoring.models import Invitation
from tests.factories import BloggerFactory

from .conftest import PASSWORD, Network

NEW_PASSWORD = "Tunis-harbour-at-dawn-2026"


def link_path(invitation: Invitation) -> str:
    """The path of the link the invitation email carries (its host is the public one)."""
    return urlsplit(services.invitation_link(invitation=invitation)).path


def test_the_access_page_shows_each_bloggers_blogs_and_each_blogs_review_switch(
    client, network: Network
):
    services.blog_review_set(acting_user=None, blog=network.other_blog, required=True)
    assert client.login(username="digital", password=PASSWORD)

    page = client.get(reverse("authoring_access")).content.decode()

    assert "Amira Haddad" in page
    assert "Let bloggers on Letters from Lima publish by themselves" in page
    assert "Review entries on Notes from Tunis before publishing" in page


def test_a_moderator_is_kept_out_of_the_access_pages(client, network: Network):
    assert client.login(username="moderator", password=PASSWORD)

    for url in (
        reverse("authoring_access"),
        reverse("authoring_invite"),
        reverse("authoring_blogger_access", args=(network.blogger.pk,)),
    ):
        response = client.get(url)
        # Wagtail answers a refusal in its admin with a redirect to the dashboard.
        assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))


def test_an_invitation_with_a_missing_email_is_refused_with_a_message(client, network: Network):
    assert client.login(username="digital", password=PASSWORD)

    response = client.post(
        reverse("authoring_invite"),
        {"name": "Layla Mansour", "job_title": "Consul", "blogs": [network.own_blog.pk]},
    )

    assert response.status_code == 200  # the form again, with its errors
    assert "This field is required." in response.content.decode()
    assert not Invitation.objects.exists()


def test_the_blogger_access_page_offers_to_grant_only_blogs_not_yet_granted(
    client, network: Network
):
    assert client.login(username="digital", password=PASSWORD)

    response = client.get(reverse("authoring_blogger_access", args=(network.blogger.pk,)))

    grant = response.context["grant_form"].fields["blogs"].queryset
    revoke = response.context["revoke_form"].fields["blogs"].queryset
    assert list(grant) == [network.other_blog]
    assert list(revoke) == [network.own_blog]


def test_a_blogger_without_an_account_has_no_access_page(client, network: Network):
    assert client.login(username="digital", password=PASSWORD)

    response = client.get(reverse("authoring_blogger_access", args=(network.other_blogger.pk,)))

    assert response.status_code == 404


def test_a_grant_without_a_blog_is_a_400_with_the_form_again(client, network: Network):
    assert client.login(username="digital", password=PASSWORD)

    response = client.post(
        reverse("authoring_blogger_access", args=(network.blogger.pk,)), {"grant": "1"}
    )

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert list(network.other_blog.bloggers.all()) == [network.other_blogger]


def test_a_grant_of_a_blog_already_granted_is_refused(client, network: Network):
    assert client.login(username="digital", password=PASSWORD)

    response = client.post(
        reverse("authoring_blogger_access", args=(network.blogger.pk,)),
        {"grant": "1", "grant-blogs": [network.own_blog.pk]},
    )

    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()


def test_the_review_switch_turns_review_on_and_off(client, network: Network):
    assert client.login(username="digital", password=PASSWORD)
    url = reverse("authoring_review", args=(network.own_blog.pk,))

    on = client.post(url, {"required": "on"})
    required_after_on = services.blog_review_required(blog=network.own_blog)
    off = client.post(url, {"required": "off"})

    assert on.status_code == off.status_code == 302
    assert required_after_on is True
    assert services.blog_review_required(blog=network.own_blog) is False


def test_the_review_switch_takes_no_get_and_no_unknown_blog(client, network: Network):
    assert client.login(username="digital", password=PASSWORD)

    get = client.get(reverse("authoring_review", args=(network.own_blog.pk,)))
    unknown = client.post(reverse("authoring_review", args=(987654,)), {"required": "on"})

    assert get.status_code == 405
    assert unknown.status_code == 404


def test_a_blogger_cannot_switch_review_off_on_their_own_blog(client, network: Network):
    services.blog_review_set(acting_user=None, blog=network.own_blog, required=True)
    assert client.login(username="amira", password=PASSWORD)

    response = client.post(
        reverse("authoring_review", args=(network.own_blog.pk,)), {"required": "off"}
    )

    # Wagtail answers a refusal in its admin with a redirect to the dashboard.
    assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    assert services.blog_review_required(blog=network.own_blog) is True


def test_the_profile_page_saves_the_bloggers_own_profile(client, network: Network):
    assert client.login(username="amira", password=PASSWORD)

    response = client.post(
        reverse("authoring_profile"),
        {"display_name": "Amira Haddad", "job_title": "Head of Mission", "bio": "Back in Tunis."},
    )

    network.blogger.refresh_from_db()
    assert response.status_code == 302
    assert (network.blogger.job_title, network.blogger.bio) == ("Head of Mission", "Back in Tunis.")


def test_an_invitation_link_for_someone_never_invited_is_gone(client, network: Network):
    blogger = BloggerFactory(user=network.moderator)
    invitation = Invitation(user=blogger.user)  # never saved: the moderator was not invited

    response = client.get(link_path(invitation))

    assert response.status_code == 410
    assert not client.session.get("_auth_user_id")


def test_an_invitation_link_with_nonsense_in_it_is_gone_not_an_error(client, db):
    response = client.get(
        reverse("authoring_invitation_accept", kwargs={"uidb64": "!!", "token": "x-y"})
    )

    assert response.status_code == 410


def test_accepting_an_invitation_signs_the_person_in_with_the_chosen_password(
    client, network: Network
):
    invitation = services.blogger_invite(
        acting_user=network.digital,
        name="Layla Mansour",
        email="layla@example.org",
        job_title="Consul",
        mission=None,
        blogs=[network.own_blog],
    )

    response = client.post(
        link_path(invitation),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    invitation.user.refresh_from_db()
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    assert int(client.session["_auth_user_id"]) == invitation.user.pk
    assert invitation.user.check_password(NEW_PASSWORD)
