"""papers.citations: APA in-text citations found, linked to their reference, and reported."""

import pytest

from papers.citations import CitationIndex, citation_report, find_citations, link_citations
from papers.models import Reference, Section
from papers.services import paper_render
from tests.factories import make_paper

# Invented references (the surnames are test data only).
NASLUND = {
    "authors": "Naslund, J. A., Aschbrenner, K. A., & Bartels, S. J.",
    "year": "2016",
    "title": "Peer support on invented platforms",
    "container": "Journal of Invented Studies",
    "volume": "25",
    "issue": "2",
    "pages": "113–122",
    "doi": "10.5555/jis.2016.25",
}
GAVRILA = {
    "authors": "Gavrila, V., Garrity, A., & Lee, J. M.",
    "year": "2019",
    "title": "A community that does not exist",
    "container": "Imaginary Health Review",
    "volume": "13",
}
NIELA_VILEN = {
    "authors": "Niela-Vilén, H., Axelin, A., & Melender, H.-L.",
    "year": "2014",
    "title": "Parents online, a made-up survey",
    "container": "Fictional Nursing Letters",
    "volume": "51",
}
MERCIECA = {
    "authors": "Mercieca, B., & Kelly, N.",
    "year": "2018",
    "title": "Teachers in private groups",
    "container": "Pretend Journal of Education",
    "volume": "46",
}
TAN = {
    "authors": "Tan, Y.",
    "year": "2021",
    "title": "A reference nobody cites",
    "container": "Unread Quarterly",
    "volume": "1",
}
ALL = [NASLUND, GAVRILA, NIELA_VILEN, MERCIECA, TAN]


def references(*parts_list):
    """Unsaved Reference objects with the anchors paper_render would give them."""
    made = []
    for parts in parts_list:
        ref = Reference(**parts)
        surname = parts["authors"].split(",")[0].lower().replace("é", "e")
        ref.anchor = f"ref-{surname}-{parts['year']}"
        made.append(ref)
    return made


def link(text, refs=ALL):
    return link_citations(text, CitationIndex(references(*refs)))


def citation(anchor, text):
    return f'<a class="citation" href="#{anchor}">{text}</a>'


def test_parenthetical_et_al_with_page_is_linked():
    out = link("Groups help (Naslund et al., 2016, p. 114).")
    assert (
        out == "Groups help (" + citation("ref-naslund-2016", "Naslund et al., 2016, p. 114") + ")."
    )


def test_parenthetical_with_page_range_is_linked():
    out = link("(Gavrila et al., 2019, pp. 495-497)")
    assert out == "(" + citation("ref-gavrila-2019", "Gavrila et al., 2019, pp. 495-497") + ")"


def test_parenthetical_with_en_dash_page_range_is_linked():
    out = link("(Mercieca & Kelly, 2018, pp. 71–72)")
    assert out == "(" + citation("ref-mercieca-2018", "Mercieca &amp; Kelly, 2018, pp. 71–72") + ")"


def test_parenthetical_two_authors_with_ampersand_is_linked_and_escaped():
    out = link("(Mercieca & Kelly, 2018, p. 64)")
    assert out == "(" + citation("ref-mercieca-2018", "Mercieca &amp; Kelly, 2018, p. 64") + ")"


def test_parenthetical_without_locator_is_linked():
    assert citation("ref-naslund-2016", "Naslund et al., 2016") in link("(Naslund et al., 2016)")


def test_narrative_citation_is_linked_to_the_author_named_before_it():
    out = link(
        "Niela-Vilén et al. argue that parents read more than they post (2014, pp. 1534-1535)."
    )
    assert out.endswith("(" + citation("ref-niela-vilen-2014", "2014, pp. 1534-1535") + ").")
    assert out.startswith("Niela-Vilén et al. argue")


@pytest.mark.parametrize("named", ["Niela-Vilen", "NIELA-VILÉN", "niela-vilén"])
def test_narrative_citation_matches_without_accents_or_case(named):
    out = link(f"{named} et al. argue so (2014, p. 3).")
    assert citation("ref-niela-vilen-2014", "2014, p. 3") in out


def test_narrative_citation_uses_the_author_named_last():
    refs = [NASLUND, {**MERCIECA, "year": "2016"}]
    out = link("Naslund et al. disagree with Mercieca and Kelly, who say (2016, p. 2).", refs)
    assert citation("ref-mercieca-2016", "2016, p. 2") in out


def test_narrative_citation_looks_only_in_its_own_paragraph():
    out = link("Mercieca and Kelly wrote about groups.\n\nThey found this (2018, p. 3).")
    assert "citation" not in out


def test_two_citations_in_one_parenthesis_are_both_linked():
    out = link("Peers matter (Naslund et al., 2016, p. 3; Mercieca & Kelly, 2018, p. 9).")
    assert out == (
        "Peers matter ("
        + citation("ref-naslund-2016", "Naslund et al., 2016, p. 3")
        + "; "
        + citation("ref-mercieca-2018", "Mercieca &amp; Kelly, 2018, p. 9")
        + ")."
    )


def test_one_unmatched_citation_among_several_leaves_the_others_linked():
    out = link("(Tan, 2021; Okafor, 2015; Gavrila et al., 2019)")
    assert out == (
        "("
        + citation("ref-tan-2021", "Tan, 2021")
        + "; Okafor, 2015; "
        + citation("ref-gavrila-2019", "Gavrila et al., 2019")
        + ")"
    )


def test_second_author_tells_apart_two_references_with_the_same_first_author_and_year():
    zhou = {**MERCIECA, "authors": "Mercieca, B., & Zhou, N.", "title": "Another"}
    refs = references(MERCIECA, zhou)
    refs[1].anchor = "ref-mercieca-2018-2"
    index = CitationIndex(refs)
    assert 'href="#ref-mercieca-2018-2"' in link_citations("(Mercieca & Zhou, 2018)", index)
    assert 'href="#ref-mercieca-2018"' in link_citations("(Mercieca & Kelly, 2018)", index)


@pytest.mark.parametrize(
    "text",
    [
        "(Okafor, 2016, p. 1)",  # unknown surname
        "(Naslund et al., 2017, p. 1)",  # wrong year
        "Smith argues this (2016, p. 3).",  # narrative, nobody with a 2016 reference named
    ],
)
def test_unmatched_citations_are_left_as_text(text):
    assert link(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "Support groups (e.g. mental health) help.",
        "The rule changed (since 2016 it has been law).",
        "(COVID-19)",
        "(see above)",
    ],
)
def test_parentheses_that_are_not_citations_are_ignored(text):
    assert link(text) == text
    section = Section(heading="Body", body=text)
    assert citation_report([section], []).unmatched == []


def test_narrative_surname_must_be_a_whole_word():
    # "Tan" appears only inside "important": no author is named, so nothing is linked.
    text = "It is important to note that groups shrink (2021, p. 3)."
    assert link(text) == text
    report = citation_report([Section(heading="Body", body=text)], references(TAN))
    assert report.unmatched == [("Body", "2021, p. 3")]


def test_find_citations_gives_positions_of_the_cited_text():
    text = "A (Naslund et al., 2016, p. 1) B\n\nC (Okafor, 2015)"
    found = list(find_citations(text, CitationIndex(references(NASLUND))))
    assert [text[start:end] for start, end, _c, _r in found] == [
        "Naslund et al., 2016, p. 1",
        "Okafor, 2015",
    ]
    assert found[0][3].year == "2016"
    assert found[1][3] is None


def test_citation_report_lists_unmatched_citations_and_uncited_references():
    sections = [
        Section(heading="Introduction", body="(Naslund et al., 2016, p. 1) (Okafor, 2015, p. 7)"),
        Section(heading="Method", body="(Naslund et al., 2017) and (e.g. mental health)."),
    ]
    report = citation_report(sections, references(NASLUND, TAN))
    assert report.unmatched == [
        ("Introduction", "Okafor, 2015, p. 7"),
        ("Method", "Naslund et al., 2017"),
    ]
    assert [ref.title for ref in report.uncited] == ["A reference nobody cites"]
    assert not report.ok


def test_citation_report_is_ok_when_everything_matches():
    sections = [
        Section(heading="One", body="(Naslund et al., 2016, p. 114)"),
        Section(heading="Two", body="Tan finds (2021, p. 2)."),
    ]
    report = citation_report(sections, references(NASLUND, TAN))
    assert report.unmatched == []
    assert report.uncited == []
    assert report.ok


@pytest.mark.django_db
def test_paper_render_links_citations_in_section_html():
    paper = make_paper(
        sections=[
            ("Introduction", "Peers matter (Naslund et al., 2016, p. 114)."),
            (
                "Discussion",
                "Niela-Vilen et al. argue so (2014, pp. 1534-1535); see also "
                "(Mercieca & Kelly, 2018, pp. 71–72).",
            ),
        ],
        references=[NASLUND, NIELA_VILEN, MERCIECA],
    )
    intro, discussion = paper.sections.all()
    assert (
        '<a class="citation" href="#ref-naslund-2016">Naslund et al., 2016, p. 114</a>'
        in intro.body_html
    )
    assert '<a class="citation" href="#ref-niela-vilen-2014">2014, pp. 1534-1535</a>' in (
        discussion.body_html
    )
    assert (
        '<a class="citation" href="#ref-mercieca-2018">Mercieca &amp; Kelly, 2018, pp. 71–72</a>'
        in discussion.body_html
    )


@pytest.mark.django_db
def test_paper_render_gives_references_and_sections_unique_anchors():
    paper = make_paper(
        sections=[("Introduction", "x"), ("Introduction", "y"), ("Comments", "z"), ("!!!", "w")],
        references=[MERCIECA, {**MERCIECA, "authors": "Mercieca, B.", "title": "Other"}],
    )
    assert [r.anchor for r in paper.references.all()] == [
        "ref-mercieca-2018",
        "ref-mercieca-2018-2",
    ]
    assert [s.anchor for s in paper.sections.all()] == [
        "introduction",
        "introduction-2",
        "comments-2",  # "comments" is the discussion's anchor
        "section",
    ]


@pytest.mark.django_db
def test_paper_render_keeps_long_headings_anchors_within_their_field():
    heading = "A heading that goes on " * 8  # 184 characters: its slug is longer than 120
    paper = make_paper(sections=[(heading, "x"), (heading, "y")])
    anchors = [s.anchor for s in paper.sections.all()]
    assert all(len(anchor) <= 120 for anchor in anchors)
    assert anchors[0] != anchors[1] and anchors[1] == f"{anchors[0]}-2"
    assert anchors[0].startswith("a-heading-that-goes-on") and not anchors[0].endswith("-")


@pytest.mark.django_db
def test_paper_render_updates_html_after_the_section_changes():
    paper = make_paper(sections=[("Body", "No citation yet.")], references=[NASLUND])
    section = paper.sections.get()
    section.body = "Now cited (Naslund et al., 2016)."
    section.save()
    paper_render(paper)
    section.refresh_from_db()
    assert '<a class="citation" href="#ref-naslund-2016">' in section.body_html
