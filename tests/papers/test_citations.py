"""papers.citations: APA in-text citations found, linked to their reference, and reported."""

import re

import pytest

from papers.apa import authors_of, parse_reference
from papers.citations import CitationIndex, citation_report, find_citations, link_citations
from papers.models import Reference, Section
from papers.services import paper_render
from tests.factories import make_paper
from tests.papers.references import GAVRILA, MERCIECA, NASLUND, NIELA_VILEN, TAN

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


# Texts and the HTML link_citations makes of them: each citation linked to its reference
# (its text escaped), anything else left as it was. A table of cases: its entries share a
# shape because they are data, not copied code.
LINKED = {
    "parenthetical, et al., with a page": (
        "Groups help (Naslund et al., 2016, p. 114).",
        "Groups help (" + citation("ref-naslund-2016", "Naslund et al., 2016, p. 114") + ").",
    ),
    "parenthetical with a page range": (
        "(Gavrila et al., 2019, pp. 495-497)",
        "(" + citation("ref-gavrila-2019", "Gavrila et al., 2019, pp. 495-497") + ")",
    ),
    "parenthetical with an en dash page range": (
        "(Mercieca & Kelly, 2018, pp. 71–72)",
        "(" + citation("ref-mercieca-2018", "Mercieca &amp; Kelly, 2018, pp. 71–72") + ")",
    ),
    "parenthetical, two authors with an ampersand, escaped": (
        "(Mercieca & Kelly, 2018, p. 64)",
        "(" + citation("ref-mercieca-2018", "Mercieca &amp; Kelly, 2018, p. 64") + ")",
    ),
    "two citations in one parenthesis, both linked": (
        "Peers matter (Naslund et al., 2016, p. 3; Mercieca & Kelly, 2018, p. 9).",
        "Peers matter ("
        + citation("ref-naslund-2016", "Naslund et al., 2016, p. 3")
        + "; "
        + citation("ref-mercieca-2018", "Mercieca &amp; Kelly, 2018, p. 9")
        + ").",
    ),
    "one unmatched among several, the others linked": (
        "(Tan, 2021; Okafor, 2015; Gavrila et al., 2019)",
        "("
        + citation("ref-tan-2021", "Tan, 2021")
        + "; Okafor, 2015; "
        + citation("ref-gavrila-2019", "Gavrila et al., 2019")
        + ")",
    ),
}


@pytest.mark.parametrize(("text", "linked"), LINKED.values(), ids=LINKED.keys())
def test_citations_are_linked_to_their_references(text, linked):
    assert link(text) == linked


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


# APA 7 as a whole. Each test names the rule; the references below are invented.


def ref(anchor, authors, year, title="An invented title"):
    made = Reference(authors=authors, year=year, title=title)
    made.anchor = anchor
    return made


QUISPE = ref("quispe-2017", "Quispe, M.", "2017")
QUISPE_HALLORANN = ref("quispe-hallorann-2018", "Quispe, M., & Hallorann, D.", "2018")
FERREIRA_LUND = ref("ferreira-lund-2019", "Ferreira-Lund, A., Mbeki, T., & Sato, K.", "2019")
COASTAL = ref("coastal-2020", "Northern Institute of Coastal Health", "2020")
RIVERS = ref("rivers-2021", "Department for Rivers and Inland Waters.", "2021")
LOWLANDS = ref("lowlands-2016", "Council on the Arts of the Lowlands", "2016")
ACADEMY = ref("academy-2015", "Academy of Letters, Sciences, and Crafts.", "2015")
ALL_KINDS = [QUISPE, QUISPE_HALLORANN, FERREIRA_LUND, COASTAL, RIVERS, LOWLANDS, ACADEMY]


def linked(text, refs=ALL_KINDS):
    """(anchor, linked words) of each link made in text, in order."""
    html = link_citations(text, CitationIndex(refs))
    return re.findall(r'<a class="citation" href="#([^"]+)">(.*?)</a>', html, re.S)


def report(text, refs=ALL_KINDS):
    """(labels of unmatched citations, anchors of references never cited)."""
    found = citation_report([Section(heading="Body", body=text)], refs)
    return [label for _heading, label in found.unmatched], [r.anchor for r in found.uncited]


def unmatched(text, refs=ALL_KINDS):
    return report(text, refs)[0]


# One, two, three or more authors; parenthetical and narrative


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tides matter (Quispe, 2017).", [("quispe-2017", "Quispe, 2017")]),
        ("Quispe (2017) measured tides.", [("quispe-2017", "2017")]),
        ("(Quispe & Hallorann, 2018)", [("quispe-hallorann-2018", "Quispe &amp; Hallorann, 2018")]),
        ("(Quispe and Hallorann, 2018)", [("quispe-hallorann-2018", "Quispe and Hallorann, 2018")]),
        ("Quispe and Hallorann (2018) disagree.", [("quispe-hallorann-2018", "2018")]),
        ("Quispe & Hallorann (2018) disagree.", [("quispe-hallorann-2018", "2018")]),
        ("(Ferreira-Lund et al., 2019)", [("ferreira-lund-2019", "Ferreira-Lund et al., 2019")]),
        ("(Ferreira-Lund et al 2019)", []),  # no comma before the year: not a citation
        ("Ferreira-Lund et al. (2019) argue.", [("ferreira-lund-2019", "2019")]),
        (
            "(Ferreira-Lund, Mbeki, & Sato, 2019)",
            [("ferreira-lund-2019", "Ferreira-Lund, Mbeki, &amp; Sato, 2019")],
        ),
        ("Ferreira-Lund, Mbeki, and Sato (2019) argue.", [("ferreira-lund-2019", "2019")]),
    ],
)
def test_authors_are_cited_in_both_forms(text, expected):
    assert linked(text) == expected


def test_the_link_keeps_the_text_around_it_as_written():
    out = link_citations("Tides rise (Quispe, 2017, p. 4).", CitationIndex([QUISPE]))
    assert out == 'Tides rise (<a class="citation" href="#quispe-2017">Quispe, 2017, p. 4</a>).'


def test_a_citation_broken_over_two_lines_of_its_paragraph_is_linked():
    assert linked("Tides rise (Quispe,\n2017).") == [("quispe-2017", "Quispe,\n2017")]


def test_the_second_author_tells_apart_two_works_of_the_same_year():
    tanaka = ref("kowalczyk-tanaka", "Kowalczyk, E., & Tanaka, R.", "2010")
    ferreira = ref("kowalczyk-ferreira", "Kowalczyk, E., & Ferreira, B.", "2010")
    refs = [tanaka, ferreira]
    text = "(Kowalczyk & Ferreira, 2010; Kowalczyk & Tanaka, 2010)"
    assert [a for a, _ in linked(text, refs)] == ["kowalczyk-ferreira", "kowalczyk-tanaka"]
    text = "Kowalczyk and Tanaka (2010) answer Kowalczyk and Ferreira (2010)."
    assert [a for a, _ in linked(text, refs)] == ["kowalczyk-tanaka", "kowalczyk-ferreira"]
    # With the first surname alone a reader cannot tell which: reported, not guessed.
    assert unmatched("(Kowalczyk, 2010)", refs) == ["Kowalczyk, 2010"]


def test_et_al_with_as_many_names_as_needed_tells_works_apart():
    chen = ref("ibarra-chen", "Ibarra, S., Moyo, T., Chen, L., & Dubois, A.", "2009")
    varga = ref("ibarra-varga", "Ibarra, S., Moyo, T., Varga, K., & Olsen, P.", "2009")
    refs = [chen, varga]
    text = "(Ibarra, Moyo, Chen, et al., 2009; Ibarra, Moyo, Varga, et al., 2009)"
    assert [a for a, _ in linked(text, refs)] == ["ibarra-chen", "ibarra-varga"]
    assert linked("Ibarra, Moyo, Varga, et al. (2009) agree.", refs) == [("ibarra-varga", "2009")]
    assert unmatched("(Ibarra et al., 2009)", refs) == ["Ibarra et al., 2009"]


def test_a_looser_form_still_links_when_only_one_work_fits():
    # APA would write "Quispe & Hallorann"; a reader still knows which work is meant.
    assert linked("(Quispe, 2018)") == [("quispe-hallorann-2018", "Quispe, 2018")]
    assert linked("(Quispe et al., 2018)") == [("quispe-hallorann-2018", "Quispe et al., 2018")]


# Group authors


@pytest.mark.parametrize(
    ("text", "anchor"),
    [
        ("(Northern Institute of Coastal Health, 2020)", "coastal-2020"),
        ("(Department for Rivers and Inland Waters, 2021)", "rivers-2021"),
        ("(Department for Rivers & Inland Waters, 2021)", "rivers-2021"),
        ("(Council on the Arts of the Lowlands, 2016, p. 9)", "lowlands-2016"),
        ("(Academy of Letters, Sciences, and Crafts, 2015)", "academy-2015"),
        ("as the Northern Institute of Coastal Health (2020) notes", "coastal-2020"),
        ("The Department for Rivers and Inland Waters (2021) disagrees.", "rivers-2021"),
        ("the Council on the Arts of the Lowlands' (2016) survey", "lowlands-2016"),
    ],
)
def test_group_authors_with_lowercase_words_and_commas_are_linked(text, anchor):
    assert [a for a, _ in linked(text)] == [anchor]


def test_a_group_abbreviation_introduced_in_brackets_stands_for_the_group_later():
    sections = [
        Section(
            heading="One",
            body="Harbours flood (Northern Institute of Coastal Health [NICH], 2020).",
        ),
        Section(heading="Two", body="They flood again (NICH, 2020, p. 3). NICH (2020) agrees."),
    ]
    found = citation_report(sections, [COASTAL])
    assert found.ok
    text = "(Northern Institute of Coastal Health [NICH], 2020) and later (NICH, 2020)"
    assert linked(text) == [
        ("coastal-2020", "Northern Institute of Coastal Health [NICH], 2020"),
        ("coastal-2020", "NICH, 2020"),
    ]


def test_a_group_abbreviation_introduced_in_a_narrative_citation():
    marsh = ref("marsh-2019", "Authority for the Protection of Marshes and Fens", "2019")
    text = (
        "The Authority for the Protection of Marshes and Fens (MFA, 2019) counts birds. "
        "Later, MFA (2019) counts frogs (MFA, 2019, p. 2)."
    )
    assert [a for a, _ in linked(text, [marsh])] == ["marsh-2019"] * 3


def test_a_group_abbreviation_introduced_in_plain_parentheses():
    marsh = ref("marsh-2019", "Authority for the Protection of Marshes and Fens", "2019")
    text = (
        "The Authority for the Protection of Marshes and Fens (APMF-X) counts birds (APMF, 2019)."
    )
    # "APMF-X" is not an abbreviation; "APMF" are the group's initials, understood anyway.
    assert linked(text, [marsh]) == [("marsh-2019", "APMF, 2019")]
    text = "The Authority for the Protection of Marshes and Fens (AMF) counts birds (AMF, 2019)."
    assert linked(text, [marsh]) == [("marsh-2019", "AMF, 2019")]


def test_an_abbreviation_never_introduced_is_reported_unless_it_is_the_groups_initials():
    assert linked("(NICH, 2020) and NICH (2020)") == [
        ("coastal-2020", "NICH, 2020"),
        ("coastal-2020", "2020"),
    ]
    assert unmatched("(NCH, 2020)") == ["NCH, 2020"]


def test_initials_shared_by_two_groups_must_be_introduced():
    one = ref("society-1", "Society for Tidal Studies", "2014")
    two = ref("society-2", "Society for Tropical Seas", "2014")
    assert unmatched("(SFTS, 2014)", [one, two]) == ["SFTS, 2014"]  # "for" is no initial
    assert unmatched("(STS, 2014)", [one, two]) == ["STS, 2014"]
    text = "(Society for Tropical Seas [STS], 2014), then (STS, 2014)"
    assert [a for a, _ in linked(text, [one, two])] == ["society-2", "society-2"]


# Several works, several years


def test_several_works_with_a_prefix_each_link_to_their_own_entry():
    text = "(e.g., Quispe, 2017; Ferreira-Lund et al., 2019; see also Quispe & Hallorann, 2018)"
    assert linked(text) == [
        ("quispe-2017", "Quispe, 2017"),
        ("ferreira-lund-2019", "Ferreira-Lund et al., 2019"),
        ("quispe-hallorann-2018", "Quispe &amp; Hallorann, 2018"),
    ]


SEVERAL_YEARS = [
    ref("quispe-nd", "Quispe, M.", "n.d."),
    ref("quispe-2015", "Quispe, M.", "2015"),
    ref("quispe-2020a", "Quispe, M.", "2020a"),
    ref("quispe-2020b", "Quispe, M.", "2020b"),
    ref("quispe-in-press", "Quispe, M.", "in press"),
]


def test_several_years_for_one_author_each_link_to_their_own_entry():
    text = "(Quispe, n.d., 2015, 2020a, 2020b, in press)"
    assert linked(text, SEVERAL_YEARS) == [
        ("quispe-nd", "Quispe, n.d."),
        ("quispe-2015", "2015"),
        ("quispe-2020a", "2020a"),
        ("quispe-2020b", "2020b"),
        ("quispe-in-press", "in press"),
    ]
    assert report(text, SEVERAL_YEARS) == ([], [])


def test_several_years_in_a_narrative_citation():
    text = "Quispe (2015, 2020a, p. 8) changed her mind."
    assert linked(text, SEVERAL_YEARS) == [("quispe-2015", "2015"), ("quispe-2020a", "2020a, p. 8")]


def test_several_years_for_two_authors_with_locators():
    refs = [QUISPE_HALLORANN, ref("qh-2019", "Quispe, M., & Hallorann, D.", "2019")]
    text = "(Quispe & Hallorann, 2018, p. 2, 2019, pp. 5–6)"
    assert linked(text, refs) == [
        ("quispe-hallorann-2018", "Quispe &amp; Hallorann, 2018, p. 2"),
        ("qh-2019", "2019, pp. 5–6"),
    ]


def test_a_later_year_with_no_entry_is_reported_with_its_author():
    assert report("(Quispe, 2015, 2016)", SEVERAL_YEARS)[0] == ["Quispe, 2016"]


def test_an_abbreviated_second_year_is_not_apa_and_is_reported():
    labels, uncited = report("(Quispe, 2020a, b)", SEVERAL_YEARS)
    assert linked("(Quispe, 2020a, b)", SEVERAL_YEARS) == [("quispe-2020a", "Quispe, 2020a")]
    assert labels == ["Quispe, b"]
    assert "quispe-2020b" in uncited


def test_a_year_without_its_letter_is_ambiguous_and_reported():
    assert unmatched("(Quispe, 2020)", SEVERAL_YEARS) == ["Quispe, 2020"]
    assert unmatched("(Quispe, 2020c)", SEVERAL_YEARS) == ["Quispe, 2020c"]


@pytest.mark.parametrize(
    ("year", "text"),
    [
        ("n.d.", "(Hallorann, n.d.)"),
        ("n.d.-a", "(Hallorann, n.d.-a)"),
        ("in press", "(Hallorann, in press)"),
        ("in press-b", "(Hallorann, in press-b)"),
        ("n.d.", "Hallorann (n.d.) says so."),
        ("in press", "Hallorann (in press) says so."),
        ("1923/2004", "(Hallorann, 1923/2004)"),
        ("2004", "(Hallorann, 1923/2004)"),  # the reference keeps the republication year
    ],
)
def test_no_date_in_press_and_republished_years(year, text):
    assert [a for a, _ in linked(text, [ref("hallorann", "Hallorann, D.", year)])] == ["hallorann"]


def test_lettered_no_date_years_are_told_apart():
    refs = [ref("nd-a", "Hallorann, D.", "n.d.-a"), ref("nd-b", "Hallorann, D.", "n.d.-b")]
    assert [a for a, _ in linked("(Hallorann, n.d.-b, n.d.-a)", refs)] == ["nd-b", "nd-a"]
    assert unmatched("(Hallorann, n.d.)", refs) == ["Hallorann, n.d."]


# Prefixes, comments and locators


@pytest.mark.parametrize(
    "prefix", ["e.g., ", "see ", "see also ", "cf. ", "i.e., ", "for example, ", "see, e.g., "]
)
def test_a_prefix_is_not_part_of_the_link(prefix):
    out = link_citations(f"({prefix}Quispe, 2017)", CitationIndex([QUISPE]))
    assert out == f'({prefix}<a class="citation" href="#quispe-2017">Quispe, 2017</a>)'


def test_a_comment_after_the_year_is_not_part_of_the_link():
    out = link_citations("(see Quispe, 2017, for a review)", CitationIndex([QUISPE]))
    assert out == '(see <a class="citation" href="#quispe-2017">Quispe, 2017</a>, for a review)'


@pytest.mark.parametrize(
    "locator",
    [
        "p. 4",
        "pp. 4-9",
        "pp. 4–9",
        "para. 3",
        "paras. 3–5",
        "chap. 2",
        "sect. 4.1",
        "Table 2",
        "Figure 1",
        "Method section, para. 2",
        "1:02:45",
        "pp. 1534, 1540",
    ],
)
def test_locators_are_part_of_the_link(locator):
    assert linked(f"(Quispe, 2017, {locator})") == [("quispe-2017", f"Quispe, 2017, {locator}")]
    assert linked(f"Quispe (2017, {locator}) says.") == [("quispe-2017", f"2017, {locator}")]


def test_a_singular_page_then_a_year_starts_another_work():
    assert linked("(Quispe, 2015, p. 4, 2020a)", SEVERAL_YEARS) == [
        ("quispe-2015", "Quispe, 2015, p. 4"),
        ("quispe-2020a", "2020a"),
    ]


# Same surname, particles, hyphens, accents


def test_authors_sharing_a_surname_are_told_apart_by_initials():
    refs = [ref("smith-j", "Smyth, J. A.", "2012"), ref("smith-r", "Smyth, R.", "2012")]
    text = "(J. Smyth, 2012; R. Smyth, 2012)"
    assert linked(text, refs) == [("smith-j", "J. Smyth, 2012"), ("smith-r", "R. Smyth, 2012")]
    assert linked("J. A. Smyth (2012) and R. Smyth (2012)", refs) == [
        ("smith-j", "2012"),
        ("smith-r", "2012"),
    ]
    assert unmatched("(Smyth, 2012)", refs) == ["Smyth, 2012"]
    assert unmatched("(K. Smyth, 2012)", refs) == ["K. Smyth, 2012"]


PARTICLES = [
    ref("berg", "van der Berg, H.", "2016"),
    ref("cruz", "de la Cruz, M. J.", "2015"),
    ref("jarvinen", "Järvinen-Aho, S.", "2013"),
    ref("odwyer", "O'Dwyer, K.", "2014"),
    ref("odegard", "Ødegård, T.", "2017"),
    ref("lodz", "Łukasiewicz, J.", "2019"),
    ref("santos", "de los Santos, M.", "2015"),
    ref("guttenberg", "zu Guttenberg, K.", "2011"),
    ref("amico", "d' Amico, L.", "2018"),
]


@pytest.mark.parametrize(
    ("text", "anchor"),
    [
        ("(van der Berg, 2016)", "berg"),
        ("(see van der Berg, 2016)", "berg"),
        ("Van der Berg (2016) begins a sentence.", "berg"),
        ("(de la Cruz, 2015)", "cruz"),
        ("as de la Cruz's (2015) map shows", "cruz"),
        ("(Järvinen-Aho, 2013)", "jarvinen"),
        ("(Jarvinen-Aho, 2013)", "jarvinen"),
        ("JÄRVINEN-AHO (2013) wrote.", "jarvinen"),
        ("(O'Dwyer, 2014)", "odwyer"),
        ("(O’Dwyer, 2014)", "odwyer"),
        ("O’Dwyer’s (2014) reply", "odwyer"),
        ("(Odegard, 2017)", "odegard"),
        ("Ødegård (2017) counted.", "odegard"),
        ("(Lukasiewicz, 2019)", "lodz"),
        ("(van den Berg, 2016)", None),
        ("as de los Santos (2015) shows", "santos"),
        ("(de los Santos, 2015)", "santos"),
        ("as zu Guttenberg (2011) shows", "guttenberg"),
        ("as d' Amico (2018) shows", "amico"),
    ],
)
def test_particles_hyphens_accents_and_apostrophes(text, anchor):
    assert [a for a, _ in linked(text, PARTICLES)] == ([anchor] if anchor else [])


def test_reference_author_lists_are_read_into_names_and_initials():
    assert [(a.name, a.initials) for a in authors_of("de la Cruz, M. J., & Åberg, Ö.")] == [
        ("de la Cruz", "M. J."),
        ("Åberg", "Ö."),
    ]
    assert [a.name for a in authors_of("Quispe, M., Jr., & Sato, K.")] == ["Quispe", "Sato"]
    assert [a.name for a in authors_of("Academy of Letters, Sciences, and Crafts.")] == [
        "Academy of Letters, Sciences, and Crafts"
    ]


# Narrative citations: which author the year belongs to


def test_a_possessive_names_the_author():
    assert linked("Quispe's (2017) study and Quispe’s (2017) data") == [
        ("quispe-2017", "2017"),
        ("quispe-2017", "2017"),
    ]


def test_a_narrative_year_belongs_to_the_name_right_before_it():
    # Quispe is named earlier, but the year follows another name: no guessing.
    text = "Quispe (2017) measured tides. Later, Okoro (2017) disagreed."
    assert linked(text) == [("quispe-2017", "2017")]
    assert unmatched(text) == ["2017"]


def test_a_narrative_year_at_the_end_of_a_sentence_belongs_to_the_author_named_in_it():
    text = "Quispe measured tides in six harbours and found them rising (2017, p. 3)."
    assert linked(text) == [("quispe-2017", "2017, p. 3")]


def test_the_year_can_stand_in_the_sentence_without_parentheses():
    assert linked("In 2017, Quispe measured tides.") == [("quispe-2017", "2017")]
    assert linked("In 2020, the Northern Institute of Coastal Health said so.") == [
        ("coastal-2020", "2020")
    ]
    assert report("In 2017, the harbour flooded.", [QUISPE]) == ([], ["quispe-2017"])


# Works without an author


@pytest.mark.parametrize(
    "text",
    [
        '("Lanterns on the Estuary," 2011)',
        "(“Lanterns on the Estuary,” 2011, p. 2)",
        '("Lanterns on the Estuary", 2011)',
        "(*Lanterns on the Estuary*, 2011)",
        "(_Lanterns_, 2011)",
    ],
)
def test_a_work_without_author_is_cited_by_its_title(text):
    lanterns = ref("lanterns", "Lanterns on the estuary.", "2011", title="Lanterns on the estuary")
    assert [a for a, _ in linked(text, [lanterns])] == ["lanterns"]


def test_anonymous_is_an_author_like_any_other():
    assert linked("(Anonymous, 2012)", [ref("anon", "Anonymous.", "2012")]) == [
        ("anon", "Anonymous, 2012")
    ]


# Sources without a reference of their own


def test_a_secondary_source_links_only_the_work_read():
    text = "(Okoro, 1982, as cited in Quispe, 2017)"
    assert linked(text) == [("quispe-2017", "Quispe, 2017")]
    assert report(text, [QUISPE]) == ([], [])
    text = "Okoro (1982, as cited in Quispe, 2017) saw it first."
    assert report(text, [QUISPE]) == ([], [])
    text = "Okoro (1982) saw it first (as cited in Quispe, 2017, p. 5). Then it rained."
    assert linked(text, [QUISPE]) == [("quispe-2017", "Quispe, 2017, p. 5")]
    assert report(text, [QUISPE]) == ([], [])


def test_personal_communications_are_neither_linked_nor_reported():
    for text in [
        "(T. Okoro, personal communication, March 3, 2021)",
        "T. Okoro (personal communication, March 3, 2021) agreed.",
    ]:
        assert linked(text) == []
        assert unmatched(text) == []


# Parentheses that are not citations


@pytest.mark.parametrize(
    "text",
    [
        "(see Table 2)",
        "(2019 was a good year)",
        "(in 2020)",
        "(1990–2000)",
        "(Phase 2, 2019)",
        "(n = 40)",
        "(p. 4)",
        "(e.g., 2018)",
        "(approximately 3,000 households, 2019)",
        "[the data](https://example.org/2019)",
        "Read `(Quispe, 2017)` as code.",
    ],
)
def test_prose_in_parentheses_is_not_a_citation(text):
    assert linked(text) == []
    assert unmatched(text) == []


def test_a_name_and_year_that_match_no_reference_are_reported():
    assert unmatched("(Okoro, 2015; Quispe, 2017)") == ["Okoro, 2015"]
    assert unmatched("Okoro (2015) said so.") == ["2015"]


def test_references_never_cited_are_reported_whatever_the_form_of_the_others():
    text = (
        "Tides (e.g., Quispe, 2017; Ferreira-Lund, Mbeki, & Sato, 2019) and floods "
        "(Northern Institute of Coastal Health [NICH], 2020). Quispe and Hallorann (2018) "
        "disagree; see also the Council on the Arts of the Lowlands (2016, p. 4)."
    )
    assert report(text) == ([], ["rivers-2021", "academy-2015"])


@pytest.mark.django_db
def test_paper_render_links_every_form_in_the_stored_html():
    paper = make_paper(
        sections=[
            ("Tides", "Tides rise (e.g., Quispe, 2017; see also Quispe & Hallorann, 2018)."),
            ("Floods", "Floods (Northern Institute of Coastal Health [NICH], 2020, p. 2)."),
            ("Later", "NICH (2020) agrees with Quispe and Hallorann (2018)."),
        ],
        references=[
            {"authors": "Quispe, M.", "year": "2017", "title": "Tides"},
            {"authors": "Quispe, M., & Hallorann, D.", "year": "2018", "title": "Floods"},
            {"authors": "Northern Institute of Coastal Health", "year": "2020", "title": "Maps"},
        ],
    )
    tides, floods, later = (s.body_html for s in paper.sections.all())
    assert '(e.g., <a class="citation" href="#ref-quispe-2017">Quispe, 2017</a>;' in tides
    assert (
        'see also <a class="citation" href="#ref-quispe-2018">Quispe &amp; Hallorann, 2018</a>)'
        in tides
    )
    anchor = "ref-northern-institute-of-coastal-health-2020"
    assert (
        f'<a class="citation" href="#{anchor}">Northern Institute of Coastal Health [NICH], 2020, p. 2</a>'
        in floods
    )
    assert f'NICH (<a class="citation" href="#{anchor}">2020</a>)' in later
    assert 'Hallorann (<a class="citation" href="#ref-quispe-2018">2018</a>)' in later


# Every APA 7 date a reference list may hold, cited and linked through paper_render.
# The references are invented; they are read by parse_reference, as an import reads them.

DATED = [
    "Tan, A. (2019). Harbour lights. Invented Press.",
    "Tan, A. (in press). Tide tables for beginners. Journal of Invented Coasts.",
    "Tan, A. (in press-a). Fog signals. Journal of Invented Coasts.",
    "Tan, A. (in press-b). Foghorns at night. Journal of Invented Coasts.",
    "Okafor, B. (n.d.-a). The quay cafe menu. https://example.org/menu",
    "Okafor, B. (n.d.-b). The quay cafe hours. https://example.org/hours",
    "Okafor, B. (n.d.). The quay cafe. https://example.org/cafe",
    "Mills, C. (2004). Letters from the lighthouse. Invented Press. (Original work published 1923)",
    "Hale, D. (1911/1998). Songs of the net menders. Invented Press.",
    "Ruiz, P. (2020, March 3). A week on the ferry. Invented Blog. https://example.org/ferry",
    "Ruiz, P. (2018, Spring). Gull counts. Invented Birds Quarterly, 4(1), 3–9.",
    "Ruiz, P. (2021a, April 16–19). Docks at dawn [Paper presentation]. Invented Conference.",
    "Ruiz, P. (2021b, May 2). Docks at dusk. Invented Blog. https://example.org/dusk",
]
DATED_TEXT = (
    "Tides (Tan, 2019, in press; Okafor, n.d.) and fog (Tan, in press-a, in press-b). "
    "Menus (Okafor, n.d.-a; Okafor, n.d.-b). Letters (Mills, 1923/2004, p. 4) and songs "
    "(Hale, 1911/1998). Ruiz (2020) took the ferry; gulls (Ruiz, 2018) and docks "
    "(Ruiz, 2021a, 2021b)."
)
HTML_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")  # an id, and a fragment, without spaces


@pytest.mark.django_db
def test_paper_render_links_every_apa_date_form_to_a_valid_anchor():
    paper = make_paper(
        sections=[("Findings", DATED_TEXT)],
        references=[parse_reference(text) for text in DATED],
    )
    anchors = [r.anchor for r in paper.references.all()]
    assert anchors == [
        "ref-tan-2019",
        "ref-tan-in-press",
        "ref-tan-in-press-a",
        "ref-tan-in-press-b",
        "ref-okafor-nd-a",
        "ref-okafor-nd-b",
        "ref-okafor-nd",
        "ref-mills-1923-2004",
        "ref-hale-1911-1998",
        "ref-ruiz-2020",
        "ref-ruiz-2018",
        "ref-ruiz-2021a",
        "ref-ruiz-2021b",
    ]
    assert all(HTML_ID.fullmatch(anchor) for anchor in anchors)
    html = paper.sections.get().body_html
    links = re.findall(r'<a class="citation" href="#([^"]+)">(.*?)</a>', html)
    assert links == [
        ("ref-tan-2019", "Tan, 2019"),
        ("ref-tan-in-press", "in press"),
        ("ref-okafor-nd", "Okafor, n.d."),
        ("ref-tan-in-press-a", "Tan, in press-a"),
        ("ref-tan-in-press-b", "in press-b"),
        ("ref-okafor-nd-a", "Okafor, n.d.-a"),
        ("ref-okafor-nd-b", "Okafor, n.d.-b"),
        ("ref-mills-1923-2004", "Mills, 1923/2004, p. 4"),
        ("ref-hale-1911-1998", "Hale, 1911/1998"),
        ("ref-ruiz-2020", "2020"),
        ("ref-ruiz-2018", "Ruiz, 2018"),
        ("ref-ruiz-2021a", "Ruiz, 2021a"),
        ("ref-ruiz-2021b", "2021b"),
    ]
    report = citation_report(paper.sections.all(), paper.references.all())
    assert report.ok, (report.unmatched, report.uncited)


@pytest.mark.django_db
def test_the_bibliography_keeps_the_dates_and_its_ids_are_the_links_targets(client):
    paper = make_paper(
        sections=[("Findings", DATED_TEXT)],
        references=[parse_reference(text) for text in DATED],
    )
    page = client.get(paper.get_absolute_url()).content.decode()
    ids = set(re.findall(r'\sid="([^"]*)"', page))
    assert all(HTML_ID.fullmatch(i) for i in ids), sorted(i for i in ids if " " in i)
    targets = re.findall(r'<a class="citation" href="#([^"]+)"', page)
    assert len(targets) == 13 and set(targets) <= ids
    assert '<li id="ref-tan-in-press">Tan, A. (in press). ' in page
    assert '<li id="ref-okafor-nd-a">Okafor, B. (n.d.-a). ' in page
    assert '<li id="ref-ruiz-2020">Ruiz, P. (2020, March 3). ' in page
    assert '<li id="ref-ruiz-2018">Ruiz, P. (2018, Spring). ' in page
    assert '<li id="ref-ruiz-2021a">Ruiz, P. (2021a, April 16–19). ' in page
    assert "Invented Press. (Original work published 1923)</li>" in page
    assert '<li id="ref-hale-1911-1998">Hale, D. (1998). ' in page


@pytest.mark.django_db
def test_an_in_press_reference_and_a_heading_of_the_same_slug_get_different_ids():
    paper = make_paper(
        sections=[("Ref Tan in press", "Cited (Tan, in press).")],
        references=[{"authors": "Tan, A.", "year": "in press", "title": "Fog"}],
    )
    assert paper.references.get().anchor == "ref-tan-in-press"
    assert paper.sections.get().anchor == "ref-tan-in-press-2"


# A work dated by a span of years ("2019-2020"): a year where a reference has that span

SPAN = ref("ruiz-2019-2020", "Ruiz, P.", "2019–2020")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Seasons differ (Ruiz, 2019–2020).", "Ruiz, 2019–2020"),
        ("Seasons differ (Ruiz, 2019-2020, p. 3).", "Ruiz, 2019-2020, p. 3"),
        ("Ruiz (2019–2020) followed one fleet.", "2019–2020"),
    ],
)
def test_a_span_of_years_links_to_the_reference_dated_so(text, words):
    assert linked(text, [*ALL_KINDS, SPAN]) == [("ruiz-2019-2020", words)]
    assert report(text, [*ALL_KINDS, SPAN])[0] == []


def test_a_span_of_years_no_reference_has_stays_prose():
    assert linked("Catches fell (1990–2000) and rose.", [*ALL_KINDS, SPAN]) == []
    assert unmatched("Catches fell (1990–2000) and rose.", [*ALL_KINDS, SPAN]) == []
