"""The search form's filter lists: remembered between searches, never out of date."""

from tests.factories import BlogFactory, BloggerFactory, MissionFactory


def test_a_new_blog_blogger_and_mission_are_offered_at_once(client, db):
    client.get("/search/")  # the lists are remembered from here on

    BlogFactory(
        slug="carnet",
        title="Carnet de Paris",
        mission=MissionFactory(slug="paris", name="Embassy in Paris", country_code="FR"),
        bloggers=[BloggerFactory(slug="camille", display_name="Camille Dufresne")],
    )
    page = client.get("/search/").content.decode()

    assert '<option value="carnet">Carnet de Paris</option>' in page
    assert '<option value="camille">Camille Dufresne</option>' in page
    assert '<option value="paris">Embassy in Paris</option>' in page


def test_the_chosen_filter_is_selected_and_titles_are_shown_as_text(client, db):
    BlogFactory(slug="cartoons", title="Tom & <Jerry>")

    page = client.get("/search/", {"blog": "cartoons"}).content.decode()

    assert '<option value="cartoons" selected>Tom &amp; &lt;Jerry&gt;</option>' in page
    assert '<select name="blog" id="id_blog">' in page
