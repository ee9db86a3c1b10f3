"""The public pages outside the page tree: tags, archives, bloggers, missions and the permalink.
What every kind of page must refuse (a 404, never a 500) is in test_not_found.py."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dragoman.blogs.models import BlogPage
from dragoman.missions.models import Mission
from tests.factories import BlogFactory, BloggerFactory, EntryFactory, MissionFactory

from .reader import page_html, visible_text

MARCH = datetime(2024, 3, 10, 12, tzinfo=UTC)
APRIL = datetime(2024, 4, 10, 12, tzinfo=UTC)
MAY_2023 = datetime(2023, 5, 10, 12, tzinfo=UTC)


@pytest.fixture
def network(db, uncached):
    amira = BloggerFactory(slug="amira", display_name="Amira Haddad")
    tunis = BlogFactory(slug="tunis", title="Notes from Tunis", bloggers=[amira])
    lima = BlogFactory(slug="lima", title="Letters from Lima")
    EntryFactory(blog=tunis, title="Water in March", date=MARCH, tags=["water"])
    EntryFactory(blog=tunis, title="Trade in April", date=APRIL, tags=["trade"])
    EntryFactory(blog=lima, title="Water in Lima", date=APRIL, tags=["water"])
    EntryFactory(blog=lima, title="Old news", date=MAY_2023)
    EntryFactory(blog=tunis, title="A draft about water", date=MARCH, tags=["water"], live=False)
    return {"amira": amira, "tunis": tunis, "lima": lima}


def entry_titles(response) -> list[str]:
    return [visible_text(link) for link in page_html(response).select(".entry-card__title a")]


def test_tag_index_lists_the_tags_in_use(client, network):
    page = client.get(reverse("blogs:tag_index")).content.decode()

    assert "water" in page
    assert "trade" in page


def test_a_tag_page_lists_its_live_entries_newest_first(client, network):
    response = client.get(reverse("blogs:tag_detail", args=["water"]))

    assert response.status_code == 200
    assert entry_titles(response) == ["Water in Lima", "Water in March"]


def test_a_blogs_tag_page_lists_only_that_blogs_entries(client, network):
    response = client.get(reverse("blogs:blog_tag_detail", args=["tunis", "water"]))

    assert entry_titles(response) == ["Water in March"]


def test_a_tag_no_entry_of_the_blog_carries_is_not_found_on_that_blog(client, network):
    response = client.get(reverse("blogs:blog_tag_detail", args=["lima", "trade"]))

    assert response.status_code == 404


def test_the_archive_index_lists_each_year_and_month_with_entries(client, network):
    page = visible_text(page_html(client.get(reverse("blogs:archive_index"))).main)

    assert "2024 April (2) March (1) 2023 May (1)" in page


def test_a_month_of_the_archive_lists_that_months_entries(client, network):
    response = client.get(reverse("blogs:archive_month", kwargs={"year": "2024", "month": "04"}))

    assert sorted(entry_titles(response)) == ["Trade in April", "Water in Lima"]


def test_a_year_of_a_blogs_archive_lists_only_that_blogs_entries_of_that_year(client, network):
    response = client.get(
        reverse("blogs:blog_archive_year", kwargs={"blog": "tunis", "year": "2024"})
    )

    assert entry_titles(response) == ["Trade in April", "Water in March"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"year": "2024", "month": "13"},
        {"year": "2024", "month": "00"},
        {"year": "2022"},
        {"year": "9999", "month": "12"},
        {"year": "0000"},
    ],
)
def test_a_month_or_year_without_entries_is_not_found(client, network, kwargs):
    name = "blogs:archive_month" if "month" in kwargs else "blogs:archive_year"

    response = client.get(reverse(name, kwargs=kwargs))

    assert response.status_code == 404


def test_a_bloggers_profile_lists_their_blogs_and_entries(client, network):
    response = client.get(reverse("blogs:blogger_detail", args=["amira"]))

    page = response.content.decode()
    assert "Amira Haddad" in page
    assert "Notes from Tunis" in page
    assert entry_titles(response) == ["Trade in April", "Water in March"]


def test_the_bloggers_directory_lists_bloggers_with_a_live_blog(client, network):
    BlogPage.objects.get(pk=network["lima"].pk).unpublish()

    page = client.get(reverse("blogs:blogger_list")).content.decode()

    assert "Amira Haddad" in page
    assert network["lima"].bloggers.get().display_name not in page


def test_the_permalink_of_a_live_entry_redirects_for_good_to_its_address(client, network):
    entry = EntryFactory(blog=network["tunis"], title="A permanent address")

    response = client.get(reverse("blogs:entry_permalink", args=[entry.pk]))

    assert response.status_code == 301
    assert response.url == entry.url


def test_the_permalink_of_a_draft_is_not_found(client, network):
    draft = EntryFactory(blog=network["tunis"], live=False)

    response = client.get(reverse("blogs:entry_permalink", args=[draft.pk]))

    assert response.status_code == 404


# A mission's page: what it is, where, its blogs and its bloggers.


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_mission_page_shows_its_kind_place_blogs_and_bloggers(client, db, uncached):
    mission = MissionFactory(
        slug="amman",
        name="Embassy in Amman",
        kind=Mission.Kind.CONSULATE,
        city="Amman",
        country="Jordan",
    )
    ambassador = BloggerFactory(
        display_name="Tomas Vellacott", job_title="Ambassador", mission=mission
    )
    BlogFactory(title="Letters from Amman", mission=mission, bloggers=[ambassador])

    response = client.get("/missions/amman/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Embassy in Amman" in page
    assert "Consulate · Amman, Jordan" in page
    assert "Letters from Amman" in page
    assert "Tomas Vellacott</a>, Ambassador" in page


def test_mission_page_leaves_out_other_missions_blogs_and_bloggers(client, db, uncached):
    amman = MissionFactory(slug="amman")
    paris = MissionFactory(slug="paris")
    BlogFactory(
        title="Letters from Paris",
        mission=paris,
        bloggers=[BloggerFactory(display_name="Claire Martin", mission=paris)],
    )

    page = client.get(amman.get_absolute_url()).content.decode()

    assert "Letters from Paris" not in page
    assert "Claire Martin" not in page
    assert "No blogs yet." in page
    assert "No bloggers yet." in page


def test_unpublished_blog_is_not_listed_on_its_missions_page(client, db, uncached):
    mission = MissionFactory(slug="amman")
    blog = BlogFactory(title="Letters from Amman", mission=mission)
    BlogPage.objects.get(pk=blog.pk).unpublish()

    page = client.get(mission.get_absolute_url()).content.decode()

    assert "Letters from Amman" not in page


def test_unknown_mission_is_a_404(client, db, uncached):
    response = client.get("/missions/nowhere/")

    assert response.status_code == 404


def test_mission_page_runs_as_many_queries_with_many_blogs_as_with_one(client, db, uncached):
    mission = MissionFactory(slug="amman")
    BlogFactory(mission=mission, bloggers=[BloggerFactory(mission=mission)])
    client.get(mission.get_absolute_url())  # fills what is remembered between requests
    with_one = queries_of(client, mission.get_absolute_url())
    for _ in range(5):
        BlogFactory(mission=mission, bloggers=[BloggerFactory(mission=mission)])
    client.get(mission.get_absolute_url())

    with_six = queries_of(client, mission.get_absolute_url())

    assert 0 < with_one == with_six
