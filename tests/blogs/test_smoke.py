from tests.factories import EntryFactory


def test_reader_sees_a_published_entry_on_the_home_page_and_its_own_page(client, db):
    entry = EntryFactory(title="British embassies and social media")

    home = client.get("/").content.decode()
    page = client.get(entry.url)

    assert "British embassies and social media" in home
    assert page.status_code == 200
    assert "Share this with:" in page.content.decode()


def test_draft_entry_is_not_shown(client, db):
    EntryFactory(title="Not ready yet", live=False)

    assert "Not ready yet" not in client.get("/").content.decode()
