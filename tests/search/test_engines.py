"""The engine behind /search/ (SQLite FTS5 or PostgreSQL) on a small fixed network."""

from django.test import TestCase

from .corpus import RELEVANCE_QUERIES, build_corpus
from .pages import MARK, facet_links, result_titles, search, text


class SearchOnAFixedCorpusTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.corpus = build_corpus()

    def test_the_expected_entry_ranks_first_for_ten_written_queries(self):
        for query, expected in RELEVANCE_QUERIES:
            with self.subTest(query=query):
                titles = result_titles(self.client, q=query)

                self.assertTrue(titles, f"nothing found for {query!r}")
                self.assertEqual(titles[0], expected, f"{query!r} gave {titles}")

    def test_title_outranks_body(self):
        titles = result_titles(self.client, q="digital diplomacy")

        self.assertEqual(
            titles[:2], ["Digital diplomacy in practice", "Notes from a press briefing"]
        )

    def test_a_phrase_must_appear_as_written(self):
        titles = result_titles(self.client, q='"diplomacy in practice"')

        self.assertEqual(titles, ["Digital diplomacy in practice"])

    def test_excluded_word_removes_entries(self):
        titles = result_titles(self.client, q="diplomacy -twitter")

        self.assertNotIn("Notes from a press briefing", titles)
        self.assertIn("Digital diplomacy in practice", titles)

    def test_prefix_finds_every_ending(self):
        titles = result_titles(self.client, q="polit* OR climat*")

        self.assertEqual(titles, [])  # every word must match: OR is just a word
        self.assertEqual(result_titles(self.client, q="climat*"), ["Water for the Jordan valley"])

    def test_tags_and_author_names_are_searched(self):
        self.assertEqual(
            result_titles(self.client, q="elections"), ["Observers deployed across the country"]
        )
        self.assertIn(
            "Chess tournament for students", result_titles(self.client, q="Leila Farrokh")
        )

    def test_matched_words_are_highlighted_in_title_and_excerpt(self):
        page = search(self.client, q="appointments visa")

        marked = [text(word).casefold() for word in MARK.findall(page)]
        self.assertIn("appointments", marked)  # in the title
        self.assertIn("visas", marked)  # in the body's passage

    def test_markup_in_entries_is_shown_as_text(self):
        page = search(self.client, q="cartoons")

        self.assertIn(
            "Tom &amp; Jerry &lt;script&gt;alert(1)&lt;/script&gt; <mark>cartoons</mark>", page
        )
        self.assertNotIn("<script>alert", page)

    def test_filter_by_blog(self):
        titles = result_titles(self.client, q="culture*", blog="carnet")

        self.assertEqual(titles, ["La diplomatie culturelle à Paris"])

    def test_filter_by_blogger(self):
        titles = result_titles(self.client, blogger="leila-farrokh", sort="date")

        self.assertEqual(
            titles,
            [
                "Chess tournament for students",
                "گفت‌وگو درباره آب",
                "Tom & Jerry <script>alert(1)</script> cartoons",
            ],
        )

    def test_filter_by_mission(self):
        titles = result_titles(self.client, q="culture", mission="paris")

        self.assertEqual(titles, ["La diplomatie culturelle à Paris"])

    def test_filter_by_country(self):
        titles = result_titles(self.client, q="water OR آب", country="IR")

        self.assertEqual(titles, [])
        self.assertEqual(result_titles(self.client, q="آب", country="IR"), ["گفت‌وگو درباره آب"])
        self.assertEqual(result_titles(self.client, q="آب", country="JO"), [])

    def test_filter_by_tag(self):
        titles = result_titles(self.client, tag="culture")

        self.assertCountEqual(
            titles,
            [
                "Ramadan evening at the residence",
                "La diplomatie culturelle à Paris",
                "Tom & Jerry <script>alert(1)</script> cartoons",
            ],
        )

    def test_filter_by_language(self):
        self.assertEqual(
            result_titles(self.client, language="fr"), ["La diplomatie culturelle à Paris"]
        )
        self.assertEqual(result_titles(self.client, q="آب", language="en"), [])

    def test_filter_by_date_range(self):
        titles = result_titles(self.client, date_from="2025-01-01", date_to="2025-12-31")

        self.assertCountEqual(titles, ["Women in peacebuilding", "Chess tournament for students"])

    def test_filter_by_year(self):
        titles = result_titles(self.client, year="2021")

        self.assertEqual(titles, ["Trade mission brings turbine makers"])

    def test_sort_by_date_puts_newest_first(self):
        titles = result_titles(self.client, q="wind", sort="date")

        self.assertEqual(
            titles, ["Observers deployed across the country", "Trade mission brings turbine makers"]
        )

    def test_facets_count_results_per_blog_tag_language_and_year(self):
        facets = facet_links(search(self.client, q="culture*"))

        self.assertEqual(facets["Notes from Amman"][1], 1)
        self.assertEqual(facets["Carnet de Paris"][1], 1)
        self.assertEqual(facets["Tehran voices"][1], 1)
        self.assertEqual(facets["culture"][1], 3)
        self.assertEqual(facets["French"][1], 1)
        self.assertEqual(facets["English"][1], 2)
        self.assertEqual(facets["2024"][1], 1)

    def test_one_click_on_a_facet_narrows_and_a_second_widens(self):
        url, _count = facet_links(search(self.client, q="culture*"))["Carnet de Paris"]

        narrowed = self.client.get(url).content.decode()
        wider_url, _count = facet_links(narrowed)["Carnet de Paris"]
        widened = self.client.get(wider_url).content.decode()

        self.assertEqual(url, "/search/?q=culture%2A&blog=carnet")
        self.assertIn("1 entry found", narrowed)
        self.assertIn("3 entries found", widened)

    def test_results_are_paginated_with_permanent_addresses(self):
        first = search(self.client, year="2024")

        self.assertIn("Permanent link to this search", first)
        self.assertIn('href="/search/?year=2024"', first)
        # Five entries fit on one page: a second page does not exist.
        self.assertEqual(
            self.client.get("/search/", {"year": "2024", "page": "2"}).status_code, 404
        )

    def test_matching_bloggers_are_listed(self):
        page = search(self.client, q="Farrokh")

        self.assertIn('href="/bloggers/leila-farrokh/"', page)
