import pytest
from django.conf import settings
from django.utils import translation

from dragoman.core.queries import network_description, network_name
from dragoman.core.services import network_names_set

pytestmark = pytest.mark.django_db


def test_without_any_name_the_network_is_called_by_its_setting():
    assert network_name(language="ar") == settings.SITE_NAME
    assert network_description(language="ar") == ""


def test_a_name_is_read_in_the_current_language():
    network_names_set(names={"en": ("Voices", "Diplomats."), "es": ("Voces", "Diplomáticos.")})

    with translation.override("es"):
        assert (network_name(), network_description()) == ("Voces", "Diplomáticos.")


def test_a_missing_name_or_description_falls_back_to_the_default_language():
    network_names_set(names={"en": ("Voices", "Diplomats."), "fr": ("Voix", "")})

    assert network_name(language="fr") == "Voix"
    assert network_description(language="fr") == "Diplomats."
    assert network_name(language="ru") == "Voices"
