from dragoman.core.languages import MAX_KEPT_QUERY


def test_a_huge_query_string_is_not_copied_into_every_language_link(client, db):
    short = client.get("/tags/?page=1").content.decode()
    huge = client.get("/tags/?q=" + "x" * (MAX_KEPT_QUERY + 10)).content.decode()

    assert 'href="/ar/tags/?page=1"' in short
    assert "x" * MAX_KEPT_QUERY not in huge


def test_a_cacheable_page_links_other_languages_without_a_visitors_parameters(client, db):
    page = client.get("/tags/?page=1&utm_source=newsletter").content.decode()

    assert 'href="/ar/tags/?page=1"' in page
    assert "newsletter" not in page


def test_a_search_keeps_its_query_when_the_reader_switches_language(client, db):
    page = client.get("/search/?q=water&sort=date").content.decode()

    assert 'href="/ar/search/?q=water&amp;sort=date"' in page
