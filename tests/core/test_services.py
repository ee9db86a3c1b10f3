import pytest
from django.core.exceptions import ValidationError

from dragoman.core.models import NetworkName
from dragoman.core.services import network_names_set

pytestmark = pytest.mark.django_db


def test_setting_names_twice_keeps_one_row_per_language():
    network_names_set(names={"fr": ("Voix", "")})
    network_names_set(names={"fr": ("Voix du monde", "Des diplomates.")})

    assert list(NetworkName.objects.values_list("language", "name", "description")) == [
        ("fr", "Voix du monde", "Des diplomates.")
    ]


def test_a_language_outside_the_interface_is_refused():
    with pytest.raises(ValidationError):
        network_names_set(names={"de": ("Stimmen", "")})

    assert not NetworkName.objects.exists()
