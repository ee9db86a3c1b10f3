from dragoman.search.parsing import MAX_QUERY_LENGTH, parse_query


def test_phrase_exclusion_and_prefix_are_understood():
    query = parse_query('"digital diplomacy" -twitter diplom*')

    assert [(term.words, term.negated, term.prefix) for term in query.terms] == [
        (("digital", "diplomacy"), False, False),
        (("twitter",), True, False),
        (("diplom",), False, True),
    ]


def test_engine_operators_and_punctuation_become_plain_words():
    query = parse_query("title:visa AND (NEAR OR ^x) NOT")

    assert str(query) == '"title visa" and near or x not'


def test_unmatched_quote_is_treated_as_words():
    assert str(parse_query('"digital diplomacy')) == "digital diplomacy"


def test_control_characters_are_stripped():
    assert str(parse_query("visa\x00\x07interview\x1b")) == "visa interview"


def test_long_queries_are_trimmed():
    query = parse_query("x" * 10_000)

    assert len(str(query)) == MAX_QUERY_LENGTH


def test_exclusions_alone_find_nothing():
    assert not parse_query("-twitter -facebook").searchable


def test_persian_words_keep_their_zero_width_non_joiner():
    assert parse_query("گفت‌وگو").words == ["گفت‌وگو"]


def test_hindi_words_keep_their_vowel_signs():
    assert parse_query("हिन्दी भाषा").words == ["हिन्दी", "भाषा"]
