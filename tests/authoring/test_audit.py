"""The digital team sees who created, edited, published, unpublished or deleted what."""

from django.urls import reverse

from dragoman.blogs.models import EntryPage

from .conftest import PASSWORD, Network, entry_form_data


def test_digital_team_sees_who_published_unpublished_and_deleted_entries(client, network: Network):
    client.login(username="amira", password=PASSWORD)
    client.post(
        reverse("wagtailadmin_pages:add", args=("blogs", "entrypage", network.own_blog.pk)),
        entry_form_data(
            title="Visit of the minister", blogger=network.blogger, **{"action-publish": "1"}
        ),
    )
    entry = EntryPage.objects.get(title="Visit of the minister")
    client.post(reverse("wagtailadmin_pages:unpublish", args=(entry.pk,)))
    client.post(reverse("wagtailadmin_pages:delete", args=(entry.pk,)))
    client.logout()
    client.login(username="digital", password=PASSWORD)

    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    history = client.get(reverse("authoring_audit")).content.decode()

    assert reverse("authoring_audit") in dashboard  # in the Reports menu
    assert "Visit of the minister" in history
    for action in ("Created", "Published", "Unpublished", "Deleted"):
        assert action in history
    assert "amira" in history


def test_digital_team_also_has_wagtails_site_history(client, network: Network):
    client.login(username="amira", password=PASSWORD)
    client.post(
        reverse("wagtailadmin_pages:add", args=("blogs", "entrypage", network.own_blog.pk)),
        entry_form_data(
            title="Harvest festival", blogger=network.blogger, **{"action-publish": "1"}
        ),
    )
    client.logout()
    client.login(username="digital", password=PASSWORD)

    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    history = client.get(
        reverse("wagtailadmin_reports:site_history"), {"user": network.blogger_user.pk}
    ).content.decode()

    assert reverse("wagtailadmin_reports:site_history") in dashboard
    assert "Harvest festival" in history
    assert "Published" in history


def test_audit_can_be_downloaded_as_a_spreadsheet(client, network: Network):
    client.login(username="digital", password=PASSWORD)

    response = client.get(reverse("authoring_audit"), {"export": "csv"})

    assert response.status_code == 200
    assert "Notes from Tunis" in b"".join(response.streaming_content).decode()


def test_bloggers_and_moderators_do_not_get_the_audit(client, network: Network):
    for username in ("amira", "moderator"):
        client.login(username=username, password=PASSWORD)

        response = client.get(reverse("authoring_audit"))

        assert response.status_code == 302  # Wagtail's polite refusal
        client.logout()
