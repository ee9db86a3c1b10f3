"""A blogger edits their own public profile, and only their own."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from dragoman.authoring import services

from .conftest import PASSWORD, Network


def test_blogger_edits_their_own_profile_and_readers_see_it(client, network: Network):
    client.login(username="amira", password=PASSWORD)

    response = client.post(
        reverse("authoring_profile"),
        {
            "display_name": "Amira Haddad",
            "job_title": "Consul General",
            "bio": "Writes about the old port.",
        },
    )

    assert response.status_code == 302
    page = client.get(network.blogger.get_absolute_url()).content.decode()
    assert "Consul General" in page
    assert "Writes about the old port." in page


def test_profile_form_shows_a_clear_message_for_a_missing_name(client, network: Network):
    client.login(username="amira", password=PASSWORD)

    response = client.post(
        reverse("authoring_profile"), {"display_name": "", "job_title": "Consul", "bio": ""}
    )

    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    network.blogger.refresh_from_db()
    assert network.blogger.display_name == "Amira Haddad"


def test_blogger_cannot_change_someone_elses_profile(network: Network):
    with pytest.raises(PermissionDenied):
        services.blogger_profile_update(
            acting_user=network.blogger_user, blogger=network.other_blogger, bio="Hacked"
        )


def test_people_without_a_profile_get_404(client, network: Network):
    client.login(username="moderator", password=PASSWORD)

    assert client.get(reverse("authoring_profile")).status_code == 404
