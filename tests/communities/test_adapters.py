"""Signing in: a one-time code by email (django-allauth), guesses limited, then locked; no
one signs up by themselves."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

CODE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", re.M)


def code_requested(client: Client, email: str) -> int | str:
    """302 when a code was sent, else the form's message (the page is shown again)."""
    response = client.post(reverse("account_request_login_code"), {"email": email})
    if response.status_code == 302:
        return 302
    return "too many" if "Too many" in response.content.decode() else response.status_code


def last_code() -> str:
    found = CODE.search(mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    return found.group(1)


def test_a_member_signs_in_with_the_code_sent_by_email(two):
    client = Client()
    assert code_requested(client, two.member_a.email) == 302
    assert mail.outbox[-1].to == [two.member_a.email]
    response = client.post(reverse("account_confirm_login_code"), {"code": last_code()})
    assert response.status_code == 302
    assert client.get("/members/alumni-a/").status_code == 200


def test_a_wrong_code_three_times_voids_the_code(two):
    client = Client()
    code_requested(client, two.member_a.email)
    right = last_code()
    for _ in range(3):
        response = client.post(reverse("account_confirm_login_code"), {"code": "WRON-GGGG"})
        assert response.status_code in (200, 302, 400)
    # The right code no longer works: the guesser has to ask for a new one.
    client.post(reverse("account_confirm_login_code"), {"code": right})
    assert client.get("/members/alumni-a/").status_code == 404


def test_asking_for_codes_again_and_again_is_locked_for_a_while(two):
    # A new browser each time (a guesser starts afresh to get three more tries): the lock is
    # the address's, for 15 minutes, whatever the browser.
    statuses = [code_requested(Client(), two.member_a.email) for _ in range(5)]
    assert statuses == [302, 302, 302, "too many", "too many"]
    assert len(mail.outbox) == 3
    # At most 3 codes of 3 tries each in 15 minutes: 9 guesses at a code of 32^8 values.


def test_a_code_for_an_unknown_address_reveals_nothing_and_sends_nothing(db):
    client = Client()
    assert code_requested(client, "nobody@example.org") == 302
    assert mail.outbox == []


def test_nobody_signs_up_by_themselves(client, db):
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    assert "closed" in response.content.decode().lower()
    client.post("/accounts/signup/", {"email": "x@example.org"})
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(email="x@example.org").exists()


def test_sign_in_pages_are_private_and_the_public_list_sets_no_cookie(client, two):
    response = client.get(reverse("account_login"))
    assert "no-store" in response["Cache-Control"]
    assert not Client().get("/communities/").cookies


def test_the_sign_in_page_offers_no_sign_up_while_sign_up_is_closed(client, db):
    page = client.get("/accounts/login/").content.decode()

    assert "/accounts/signup/" not in page
    assert 'for="id_login"' in page and 'for="id_password"' in page
    assert "<title>Sign In – " in page


def page_title(response: Any) -> str:
    text = response.content.decode()
    return " ".join(text.split("<title>", 1)[1].split("</title>", 1)[0].split())


def test_every_sign_in_page_title_ends_with_the_networks_name(two, settings):
    client = Client()
    pages = {
        "sign-in": client.get(reverse("account_login")),
        "code asked": client.get(reverse("account_request_login_code")),
        "password reset": client.get(reverse("account_reset_password")),
        "sign-up closed": client.get(reverse("account_signup")),
    }
    assert code_requested(client, two.member_a.email) == 302
    pages["code entered"] = client.get(reverse("account_confirm_login_code"))

    titles = {name: page_title(response) for name, response in pages.items()}

    assert all(response.status_code == 200 for response in pages.values()), titles
    assert all(title.endswith(f" – {settings.SITE_NAME}") for title in titles.values()), titles
    # The code page is titled by its purpose, its heading still says what to do.
    assert titles["code entered"] == f"Sign In – {settings.SITE_NAME}"
    assert "Enter Sign-In Code" in pages["code entered"].content.decode()
