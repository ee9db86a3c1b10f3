"""The digital team's page in the admin: counts, and one person's data exported or erased."""

from __future__ import annotations

import json

from django.urls import reverse

from dragoman.subscriptions import services
from dragoman.subscriptions.models import Subscriber

from .conftest import confirmed


def test_counts_export_and_erase(client, admin_user, blog_entry):
    confirmed("a@example.org", kind="blog", value=blog_entry.blog.pk)
    confirmed("b@example.org", kind="blog", value=blog_entry.blog.pk)
    services.address_suspend(email="b@example.org", kind="bounce")
    client.force_login(admin_user)
    url = reverse("subscriptions_admin:overview")

    page = client.get(url).content.decode()
    assert "1 hard bounces, 0 complaints" in page
    assert "a@example.org" not in page  # counts, never addresses

    export = client.post(url, {"email": "a@example.org", "action": "export"})
    assert export["Content-Type"].startswith("application/json")
    assert json.loads(export.content)["email"] == "a@example.org"

    client.post(url, {"email": "a@example.org", "action": "erase"})
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["b@example.org"]


def test_others_may_not_see_it(client, django_user_model):
    user = django_user_model.objects.create_user("blogger", password="x")
    client.force_login(user)
    response = client.get(reverse("subscriptions_admin:overview"))
    assert response.status_code in {302, 403}
