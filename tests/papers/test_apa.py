"""papers.apa: APA 7 references read from text and written as HTML."""

import pytest

from papers.apa import ReferenceSyntaxError, parse_reference, reference_html, surnames
from papers.models import Reference


def html(**fields):
    defaults = {"authors": "Tan, Y.", "year": "2021", "title": "A title"}
    return str(reference_html(Reference(**{**defaults, **fields})))


def test_parse_journal_article_with_issue_pages_and_doi():
    parts = parse_reference(
        "Castellanos, I., & Feeney, M. (2017). From transmitter to stream: Audience change at "
        "small stations. Community Media Quarterly, 22(3), 140-158. "
        "https://doi.org/10.5555/cmq.2017.22.3.140"
    )
    assert parts == {
        "authors": "Castellanos, I., & Feeney, M.",
        "year": "2017",
        "date_detail": "",
        "title": "From transmitter to stream: Audience change at small stations",
        "container": "Community Media Quarterly",
        "volume": "22",
        "issue": "3",
        "pages": "140-158",
        "doi": "10.5555/cmq.2017.22.3.140",
        "url": "",
    }


# Reference texts and parts that parse_reference must read from them. A table of cases: its
# entries share a shape because they are data, not copied code.
HALVORSEN = "Halvorsen, K. (2020). Local voices. Review of Media, 5(2), 58–74."
PARSED = {
    "a journal article without an issue": (
        "Gavrila, V. (2019). A community that does not exist. Imaginary Health Review, 13, 493-497.",
        {
            "container": "Imaginary Health Review",
            "volume": "13",
            "issue": "",
            "pages": "493-497",
            "doi": "",
            "url": "",
        },
    ),
    "en dash page ranges kept": (
        HALVORSEN,
        {"issue": "2", "pages": "58–74", "doi": "", "url": ""},
    ),
    "a DOI link keeps only the DOI": (
        f"{HALVORSEN} https://doi.org/10.48302/rgm.5.2.58.",
        {"issue": "2", "pages": "58–74", "doi": "10.48302/rgm.5.2.58", "url": ""},
    ),
    "a plain link becomes the URL": (
        f"{HALVORSEN} https://example.org/articles/58",
        {"issue": "2", "pages": "58–74", "doi": "", "url": "https://example.org/articles/58"},
    ),
    "a republished work gives the year citations write": (
        "Mills, C. (2004). Letters from the lighthouse. Invented Press. "
        "https://doi.org/10.5555/ip.2004 (Original work published 1923)",
        {"year": "1923/2004", "doi": "10.5555/ip.2004", "container": "Invented Press"},
    ),
    "editors before the date are kept with the authors": (
        "Ruiz, P. (Ed.). (2020, Winter). A title. Invented Press.",
        {"authors": "Ruiz, P. (Ed.).", "year": "2020", "date_detail": "Winter"},
    ),
    "a title ending in a question mark keeps it": (
        "Smith, J. (2020). What is a group? Journal X, 3(1), 1-2.",
        {"title": "What is a group?", "container": "Journal X"},
    ),
    "lines and spaces joined": (
        "Smith, J.   (2020).\nA title.\n  Journal X, 3(1), 1-2.",
        {"authors": "Smith, J.", "title": "A title", "container": "Journal X"},
    ),
}


@pytest.mark.parametrize(("text", "expected"), PARSED.values(), ids=PARSED.keys())
def test_parse_reads_the_parts(text, expected):
    parts = parse_reference(text)
    assert {name: parts[name] for name in expected} == expected


def test_parse_book_like_reference():
    parts = parse_reference(
        "Okwuosa, C. (2015). Working for the platform: Radio managers online. "
        "Lagos Invented Press. https://example.org/book"
    )
    assert parts == {
        "authors": "Okwuosa, C.",
        "year": "2015",
        "date_detail": "",
        "title": "Working for the platform: Radio managers online",
        "container": "Lagos Invented Press",
        "volume": "",
        "issue": "",
        "pages": "",
        "doi": "",
        "url": "https://example.org/book",
    }


@pytest.mark.parametrize(("year"), ["2015a", "n.d."])
def test_parse_year_with_letter_or_no_date(year):
    assert parse_reference(f"Okwuosa, C. ({year}). A title. Press.")["year"] == year


# APA 7's date element: the year as an in-text citation writes it, and what follows it


@pytest.mark.parametrize(
    ("written", "year", "detail"),
    [
        ("2020", "2020", ""),
        ("2020b", "2020b", ""),
        ("n.d.", "n.d.", ""),
        ("n.d.-a", "n.d.-a", ""),
        ("n.d.-b", "n.d.-b", ""),
        ("in press", "in press", ""),
        ("in press-a", "in press-a", ""),
        ("1923/2004", "1923/2004", ""),
        ("2019–2020", "2019–2020", ""),
        ("2020, March 3", "2020", "March 3"),
        ("2020, August", "2020", "August"),
        ("2020, Spring", "2020", "Spring"),
        ("2021, Fall/Winter", "2021", "Fall/Winter"),
        ("2020a, March 26", "2020a", "March 26"),
        ("2020, April 16–19", "2020", "April 16–19"),
        ("2020, March 30–April 2", "2020", "March 30–April 2"),
    ],
)
def test_parse_apa_date_forms(written, year, detail):
    parts = parse_reference(f"Okwuosa, C. ({written}). A title. Invented Press.")
    assert (parts["year"], parts["date_detail"]) == (year, detail)
    assert (parts["authors"], parts["title"], parts["container"]) == (
        "Okwuosa, C.",
        "A title",
        "Invented Press",
    )


@pytest.mark.parametrize(
    "written",
    [
        "2020, March 3",
        "2020a, Spring",
        "2020, April 16–19",
        "n.d.-a",
        "in press",
        "in press-b",
        "2019–2020",
    ],
)
def test_reference_html_writes_the_date_back_as_written(written):
    parts = parse_reference(f"Okwuosa, C. ({written}). A title. Invented Press.")
    assert str(reference_html(Reference(**parts))) == (
        f"Okwuosa, C. ({written}). <i>A title.</i> Invented Press."
    )


@pytest.mark.parametrize(
    "text",
    [
        "Mills, C. (2004). Letters from the lighthouse. Invented Press. "
        "https://doi.org/10.5555/ip.2004 (Original work published 1923)",
        "Mills, C. (1923/2004). Letters from the lighthouse. Invented Press. "
        "https://doi.org/10.5555/ip.2004",
        "Mills, C. (1923/2004). Letters from the lighthouse. Invented Press. "
        "https://doi.org/10.5555/ip.2004 (Original work published 1923).",
    ],
)
def test_reference_html_writes_a_republished_work_as_apa_7_does(text):
    """The republication year in the date, the first one in a note after the DOI."""
    assert str(reference_html(Reference(**parse_reference(text)))) == (
        "Mills, C. (2004). <i>Letters from the lighthouse.</i> Invented Press. "
        '<a href="https://doi.org/10.5555/ip.2004">https://doi.org/10.5555/ip.2004</a> '
        "(Original work published 1923)"
    )


def test_republished_with_a_date_and_a_letter():
    parts = parse_reference(
        "Mills, C. (2004b, May 1). A title. Invented Press. (Original work published 1923)"
    )
    assert (parts["year"], parts["date_detail"]) == ("1923/2004b", "May 1")
    assert str(reference_html(Reference(**parts))) == (
        "Mills, C. (2004b, May 1). <i>A title.</i> Invented Press. (Original work published 1923)"
    )


def test_reference_html_with_a_month_and_day_and_an_article():
    out = html(year="2020", date_detail="March 3", container="Q", volume="1", issue="2")
    assert out == "Tan, Y. (2020, March 3). A title. <i>Q</i>, <i>1</i>(2)."


@pytest.mark.parametrize(
    "text",
    [
        "garbage",
        "",
        "Smith 2020 A title. Journal.",
        "Smith, J. (twenty). A title. Journal.",
        "Smith, J. (2020). a title that never ends",
        "Smith, J. (2020, Marchember 3). A title. Journal.",
        "Smith, J. (2020, 3 March). A title. Journal.",
        "Smith, J. (n.d., March 3). A title. Journal.",
        "Smith, J. (in press, Spring). A title. Journal.",
        "Smith, J. (in-press). A title. Journal.",
        "Smith, J. (n.d.-ab). A title. Journal.",
        "Smith, J. (20200). A title. Journal.",
        "Smith, J. (n.d.). A title. Press. (Original work published 1923)",
        "Smith, J. (in press). A title. Press. (Original work published 1923)",
        "Smith, J. (1901/2004). A title. Press. (Original work published 1923)",
    ],
)
def test_parse_garbage_raises_reference_syntax_error(text):
    with pytest.raises(ReferenceSyntaxError):
        parse_reference(text)


def test_reference_syntax_error_is_a_value_error():
    assert issubclass(ReferenceSyntaxError, ValueError)


def test_reference_html_article_italicises_journal_and_volume():
    out = html(container="Unread Quarterly", volume="12", issue="3", pages="4–9")
    assert out == "Tan, Y. (2021). A title. <i>Unread Quarterly</i>, <i>12</i>(3), 4–9."


def test_reference_html_article_without_issue_or_pages():
    assert html(container="Unread Quarterly", volume="12") == (
        "Tan, Y. (2021). A title. <i>Unread Quarterly</i>, <i>12</i>."
    )


def test_reference_html_book_italicises_the_title():
    assert html(container="Invented Press") == "Tan, Y. (2021). <i>A title.</i> Invented Press."


def test_reference_html_title_ending_in_question_mark_gets_no_extra_full_stop():
    assert (
        html(title="Why?", container="Q", volume="1") == "Tan, Y. (2021). Why? <i>Q</i>, <i>1</i>."
    )


def test_reference_html_links_the_doi_through_doi_org():
    out = html(container="Q", volume="1", doi="10.5555/q.1")
    assert out.endswith(' <a href="https://doi.org/10.5555/q.1">https://doi.org/10.5555/q.1</a>')


def test_reference_html_links_the_url_when_there_is_no_doi():
    out = html(container="Invented Press", url="https://example.org/b")
    assert out.endswith(' <a href="https://example.org/b">https://example.org/b</a>')


def test_reference_html_prefers_the_doi_to_the_url():
    out = html(doi="10.5555/q.1", url="https://example.org/b")
    assert "https://doi.org/10.5555/q.1" in out
    assert "example.org/b" not in out


def test_reference_html_escapes_html_in_every_field():
    out = html(
        authors="<b>Evil</b>, A., & Co, B.",
        title='Title <script>alert("x")</script>',
        container="Journal <i>of</i> Things",
        volume="<1>",
        issue="<2>",
        pages="<3>",
        doi='10.1/"onmouseover="x',
    )
    assert "<b>" not in out
    assert "<script" not in out
    assert "<i>of</i>" not in out
    assert "&lt;b&gt;Evil&lt;/b&gt;, A., &amp; Co, B." in out
    assert "&lt;script&gt;" in out
    assert (
        "<i>Journal &lt;i&gt;of&lt;/i&gt; Things</i>, <i>&lt;1&gt;</i>(&lt;2&gt;), &lt;3&gt;."
        in out
    )
    assert 'href="https://doi.org/10.1/&quot;onmouseover=&quot;x"' in out


def test_surnames_drop_initials_and_ampersands():
    assert surnames("Mercieca, B., & Kelly, N.") == ["Mercieca", "Kelly"]
    assert surnames("Niela-Vilén, H., Axelin, A., & Melender, H.-L.") == [
        "Niela-Vilén",
        "Axelin",
        "Melender",
    ]
    assert surnames("World Health Organization.") == ["World Health Organization"]
