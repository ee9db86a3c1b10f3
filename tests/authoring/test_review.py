"""Review before publishing: the blogger submits, the digital team approves or sends back."""

from typing import Any

from django.urls import reverse
from wagtail.models import TaskState

from dragoman.authoring import services
from dragoman.blogs.models import EntryPage

from .conftest import PASSWORD, Network, entry_form_data


def submit_entry(client: Any, network: Network, title: str) -> EntryPage:
    client.login(username="amira", password=PASSWORD)
    client.post(
        reverse("wagtailadmin_pages:add", args=("blogs", "entrypage", network.own_blog.pk)),
        entry_form_data(title=title, blogger=network.blogger, **{"action-submit": "1"}),
    )
    client.logout()
    return EntryPage.objects.get(title=title)


def test_on_a_blog_under_review_the_blogger_cannot_publish(client, network: Network):
    services.blog_review_set(acting_user=network.digital, blog=network.own_blog, required=True)
    client.login(username="amira", password=PASSWORD)

    client.post(
        reverse("wagtailadmin_pages:add", args=("blogs", "entrypage", network.own_blog.pk)),
        entry_form_data(title="Straight out", blogger=network.blogger, **{"action-publish": "1"}),
    )

    entry = EntryPage.objects.get(title="Straight out")
    assert not entry.live


def test_digital_team_approves_a_submitted_entry_and_it_goes_live(client, network: Network):
    services.blog_review_set(acting_user=network.digital, blog=network.own_blog, required=True)
    entry = submit_entry(client, network, "Please check me")
    task_state = entry.current_workflow_task_state
    client.login(username="digital", password=PASSWORD)

    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(entry.pk, "approve", task_state.pk)),
        {"comment": ""},
    )

    entry.refresh_from_db()
    assert entry.live
    assert "Please check me" in client.get(entry.url).content.decode()


def test_digital_team_sends_an_entry_back_with_a_comment(client, network: Network):
    services.blog_review_set(acting_user=network.digital, blog=network.own_blog, required=True)
    entry = submit_entry(client, network, "Rough draft")
    task_state = entry.current_workflow_task_state
    client.login(username="digital", password=PASSWORD)

    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(entry.pk, "reject", task_state.pk)),
        {"comment": "Please add a photo of the event."},
    )

    task_state.refresh_from_db()
    entry.refresh_from_db()
    assert task_state.status == TaskState.STATUS_REJECTED
    assert task_state.comment == "Please add a photo of the event."
    assert not entry.live


def test_moderators_cannot_approve_entries(client, network: Network):
    services.blog_review_set(acting_user=network.digital, blog=network.own_blog, required=True)
    entry = submit_entry(client, network, "Awaiting the team")
    task_state = entry.current_workflow_task_state
    client.login(username="moderator", password=PASSWORD)

    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(entry.pk, "approve", task_state.pk)),
        {"comment": ""},
    )

    entry.refresh_from_db()
    assert not entry.live


def test_turning_review_off_lets_the_blogger_publish_again(client, network: Network):
    services.blog_review_set(acting_user=network.digital, blog=network.own_blog, required=True)
    client.login(username="digital", password=PASSWORD)
    client.post(reverse("authoring_review", args=(network.own_blog.pk,)), {"required": "off"})
    client.logout()
    client.login(username="amira", password=PASSWORD)

    client.post(
        reverse("wagtailadmin_pages:add", args=("blogs", "entrypage", network.own_blog.pk)),
        entry_form_data(title="Free again", blogger=network.blogger, **{"action-publish": "1"}),
    )

    assert EntryPage.objects.get(title="Free again").live
    assert not services.blog_review_required(blog=network.own_blog)


def test_review_switch_on_the_access_page(client, network: Network):
    client.login(username="digital", password=PASSWORD)

    response = client.post(
        reverse("authoring_review", args=(network.own_blog.pk,)), {"required": "on"}, follow=True
    )

    assert services.blog_review_required(blog=network.own_blog)
    assert "now need the digital team" in response.content.decode()
