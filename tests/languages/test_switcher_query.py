from dragoman.core.languages import MAX_KEPT_QUERY


def test_a_huge_query_string_is_not_copied_into_every_language_link(client, db):
    short = client.get("/tags/?page=1").content.decode()
    huge = client.get("/tags/?q=" + "x" * (MAX_KEPT_QUERY + 10)).content.decode()

    assert 'href="/ar/tags/?page=1"' in short
    assert "x" * MAX_KEPT_QUERY not in huge
