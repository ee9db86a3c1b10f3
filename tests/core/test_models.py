"""The digital team edits the network's name per language under Settings in the admin."""

import pytest

from dragoman.core.models import NetworkName

pytestmark = pytest.mark.django_db


def settings_url(admin_client) -> str:
    """The setting's edit page (Wagtail redirects the model's address to the row's)."""
    response = admin_client.get("/admin/settings/core/networksettings/", follow=True)
    assert response.status_code == 200
    return response.request["PATH_INFO"]


def form_data(rows: list[tuple[str, str, str]]) -> dict[str, str]:
    data = {
        "names-TOTAL_FORMS": str(len(rows)),
        "names-INITIAL_FORMS": "0",
        "names-MIN_NUM_FORMS": "0",
        "names-MAX_NUM_FORMS": "6",
    }
    for number, (language, name, description) in enumerate(rows):
        data.update(
            {
                f"names-{number}-language": language,
                f"names-{number}-name": name,
                f"names-{number}-description": description,
                f"names-{number}-ORDER": str(number + 1),
                f"names-{number}-id": "",
                f"names-{number}-DELETE": "",
            }
        )
    return data


def test_the_settings_page_saves_a_name_per_language(admin_client):
    response = admin_client.post(
        settings_url(admin_client), form_data([("en", "Voices", ""), ("ar", "أصوات", "")])
    )

    assert response.status_code == 302
    assert dict(NetworkName.objects.values_list("language", "name")) == {
        "en": "Voices",
        "ar": "أصوات",
    }


def test_a_language_given_twice_is_a_message_not_an_error(admin_client):
    response = admin_client.post(
        settings_url(admin_client), form_data([("fr", "Voix", ""), ("fr", "Autre", "")])
    )

    assert response.status_code == 200
    assert "duplicate" in response.content.decode().lower()
    assert not NetworkName.objects.exists()
