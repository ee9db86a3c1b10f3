"""Scheduled entries go live by themselves: not before their time, and after it
(`dragoman publish-scheduled`, run every minute by the scheduler)."""

from datetime import timedelta
from io import StringIO

import django.utils.timezone
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dragoman.blogs.models import EntryPage
from dragoman.core import scheduler

from .conftest import PASSWORD, Network, entry_form_data


def schedule_entry(client, network: Network, title: str, hours: int = 2) -> EntryPage:
    client.login(username="amira", password=PASSWORD)
    go_live = (timezone.now() + timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M")
    response = client.post(
        reverse("wagtailadmin_pages:add", args=("blogs", "entrypage", network.own_blog.pk)),
        entry_form_data(
            title=title, blogger=network.blogger, go_live_at=go_live, **{"action-publish": "1"}
        ),
    )
    assert response.status_code == 302
    client.logout()
    return EntryPage.objects.get(title=title)


def test_scheduled_entry_is_hidden_before_its_time(client, network: Network):
    entry = schedule_entry(client, network, "Independence day reception")

    call_command("publish-scheduled", stdout=StringIO())

    assert client.get("/").content.decode().count("Independence day reception") == 0
    assert client.get(network.own_blog.url + entry.slug + "/").status_code == 404


def test_scheduled_entry_appears_after_its_time(client, network: Network, monkeypatch):
    entry = schedule_entry(client, network, "Independence day reception")
    later = timezone.now() + timedelta(hours=3)
    monkeypatch.setattr(django.utils.timezone, "now", lambda: later)

    call_command("publish-scheduled", stdout=StringIO())

    entry.refresh_from_db()
    assert entry.live
    assert "Independence day reception" in client.get(entry.url).content.decode()


def test_publish_scheduled_dry_run_lists_but_does_not_publish(client, network, monkeypatch):
    entry = schedule_entry(client, network, "Trade fair")
    later = timezone.now() + timedelta(hours=3)
    monkeypatch.setattr(django.utils.timezone, "now", lambda: later)
    out = StringIO()

    call_command("publish-scheduled", dry_run=True, stdout=out)

    entry.refresh_from_db()
    assert not entry.live
    assert "trade-fair" in out.getvalue()


def test_scheduler_pass_publishes_what_is_due(client, network: Network, monkeypatch):
    entry = schedule_entry(client, network, "Due now")
    later = timezone.now() + timedelta(hours=3)
    monkeypatch.setattr(django.utils.timezone, "now", lambda: later)

    scheduler.periodic_run({}, now=0)

    entry.refresh_from_db()
    assert entry.live


def test_entry_with_an_expiry_is_unpublished_after_it(client, network: Network, monkeypatch):
    client.login(username="amira", password=PASSWORD)
    expiry = (timezone.now() + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")
    client.post(
        reverse("wagtailadmin_pages:add", args=("blogs", "entrypage", network.own_blog.pk)),
        entry_form_data(
            title="Visa office closed today",
            blogger=network.blogger,
            expire_at=expiry,
            **{"action-publish": "1"},
        ),
    )
    entry = EntryPage.objects.get(title="Visa office closed today")
    url = entry.url
    assert client.get(url).status_code == 200
    later = timezone.now() + timedelta(hours=3)
    monkeypatch.setattr(django.utils.timezone, "now", lambda: later)

    call_command("publish-scheduled", stdout=StringIO())

    entry.refresh_from_db()
    assert not entry.live
    assert client.get(url).status_code == 404
