"""Terms, queries and snippets: the one analysis indexing, asking and highlighting share."""

from search.analysis import indexed, parse_query, terms
from search.snippets import snippet


def test_terms_are_stemmed_and_common_words_left_out():
    assert terms("The keepers were logging storms") == ["keeper", "log", "storm"]


def test_an_email_address_is_never_a_term():
    assert indexed("mail ada.lovelace@example.org today") == "mail today"


def test_a_query_reads_words_phrases_and_exclusions():
    query = parse_query('tidal "open science" -mill -"water wheel" the')
    assert query.wanted == (("tidal",), ("open", "scienc"))
    assert query.excluded == (("mill",), ("water", "wheel"))
    assert query.ignored == ("the",)


def test_a_hyphenated_word_is_a_phrase_not_an_exclusion():
    assert parse_query("peer-to-peer").wanted == (("peer", "peer"),)


def test_an_unclosed_quote_reads_to_the_end():
    assert parse_query('"open science').wanted == (("open", "scienc"),)


def test_a_query_of_common_words_or_exclusions_only_asks_nothing():
    assert not parse_query("the of and")
    assert not parse_query("-tidal")


def test_a_snippet_marks_every_form_of_the_words_asked_for():
    html = snippet("Keepers kept a keeper's log.", parse_query("keeper"))
    assert html == "<mark>Keepers</mark> kept a <mark>keeper</mark>&#x27;s log."


def test_a_snippet_is_cut_around_the_words_asked_for():
    words = [f"w{n}" for n in range(200)]
    words[120] = "Jörg"
    html = snippet(" ".join(words), parse_query("jorg"), size=11)
    assert html == "… w115 w116 w117 w118 w119 <mark>Jörg</mark> w121 w122 w123 w124 w125 …"


def test_a_snippet_prefers_the_stretch_with_more_of_the_words():
    text = "tide " + "x " * 50 + "tide mill " + "y " * 50
    html = snippet(text, parse_query("tide mill"), size=6)
    assert "<mark>tide</mark> <mark>mill</mark>" in html


def test_a_snippet_escapes_the_text_and_hides_email_addresses():
    html = snippet("<b>tide</b> & a.b@example.org", parse_query("tide"))
    assert html == "&lt;b&gt;<mark>tide</mark>&lt;/b&gt; &amp; …"


def test_a_snippet_prefers_every_word_asked_for_to_many_of_one():
    text = "tide " * 60 + "filler " * 80 + "tide mill"
    html = snippet(text, parse_query("tide mill"), size=8)
    assert html.endswith("<mark>tide</mark> <mark>mill</mark>")


def test_a_snippet_finds_words_with_accents_in_text_that_is_not_ascii():
    html = snippet("Notes " * 300 + "from Jörg Ødegård.", parse_query("jorg odegard"), size=6)
    assert html.endswith("from <mark>Jörg</mark> <mark>Ødegård</mark>.")
