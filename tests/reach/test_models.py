"""The team's mirrors and onion address as typed in the admin: read as host names, refused
with a message a person understands when the server cannot answer for them."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from dragoman.reach.models import ReachSettings, host_names, onion_name

ONION = f"{'a2' * 28}.onion"


def test_host_names_keep_the_host_of_a_pasted_address_once_each():
    typed = "https://Mirror.Example/fr/\n\n  other.example  \nmirror.example\n"

    assert host_names(typed) == ["mirror.example", "other.example"]


def test_the_onion_name_is_the_first_host_typed():
    assert onion_name(f"http://{ONION}/\n") == ONION
    assert onion_name("  \n") == ""


@override_settings(ALLOWED_HOSTS=["mirror.example", ONION], DRAGOMAN_ONION_ADDRESS=ONION)
def test_a_mirror_and_an_onion_the_server_answers_for_are_accepted():
    ReachSettings(mirror_hosts="mirror.example", onion_address=ONION).clean()


@override_settings(ALLOWED_HOSTS=["mirror.example"], DRAGOMAN_ONION_ADDRESS="")
def test_each_refusal_names_what_is_wrong():
    settings = ReachSettings(mirror_hosts="mirror.example\nnot a host\nelsewhere.example")
    settings.onion_address = "short.onion"

    with pytest.raises(ValidationError) as refused:
        settings.clean()

    messages = refused.value.message_dict
    assert len(messages["mirror_hosts"]) == 2
    assert "“not a host” is not a host name." in messages["mirror_hosts"]
    assert any("elsewhere.example" in message for message in messages["mirror_hosts"])
    assert messages["onion_address"] == [
        "An onion address is 56 letters (a to z) and digits (2 to 7), then .onion."
    ]
