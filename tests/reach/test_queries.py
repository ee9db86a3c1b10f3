from django.test import override_settings

from dragoman.reach.queries import network_addresses

ONION = f"{'q' * 56}.onion"


@override_settings(
    BASE_URL="https://main.example",
    DRAGOMAN_MIRROR_HOSTS=["one.example", "two.example"],
    DRAGOMAN_ONION_ADDRESS=ONION,
)
def test_the_addresses_are_the_main_one_the_mirrors_and_the_onion():
    addresses = network_addresses(on_onion=False)

    assert [(address.kind, address.url) for address in addresses] == [
        ("main", "https://main.example/"),
        ("mirror", "https://one.example/"),
        ("mirror", "https://two.example/"),
        ("onion", f"http://{ONION}/"),
    ]


@override_settings(DRAGOMAN_MIRROR_HOSTS=["one.example"], DRAGOMAN_ONION_ADDRESS=ONION)
def test_on_the_onion_service_only_the_onion_address_is_given():
    addresses = network_addresses(on_onion=True)

    assert [address.url for address in addresses] == [f"http://{ONION}/"]


@override_settings(BASE_URL="https://main.example", DRAGOMAN_MIRROR_HOSTS=[])
def test_without_mirrors_or_onion_only_the_main_address_is_given():
    assert [address.url for address in network_addresses(on_onion=False)] == [
        "https://main.example/"
    ]
