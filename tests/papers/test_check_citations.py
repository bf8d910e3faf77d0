"""The check_citations management command."""

import io

import pytest
from django.core.management import CommandError, call_command

from tests.factories import make_edition, make_paper, make_stream
from tests.papers.references import (
    COASTAL,
    FERREIRA_LUND,
    LANTERNS,
    NASLUND,
    QUISPE_2017,
    QUISPE_2020A,
    QUISPE_2020B,
    QUISPE_HALLORANN,
    TAN,
)

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# check_citations


def test_check_citations_prints_problems_and_exits_1():
    paper = make_paper(
        title="Paper with problems",
        sections=[("Body", "As said (Okafor, 2015, p. 7) and (Naslund et al., 2016).")],
        references=[NASLUND, TAN],
    )
    out = io.StringIO()
    with pytest.raises(SystemExit) as raised:
        call_command("check_citations", stdout=out)
    assert raised.value.code == 1
    assert out.getvalue().splitlines() == [
        f"Paper with problems ({paper.get_absolute_url()})",
        "  unmatched citation in 'Body': (Okafor, 2015, p. 7)",
        "  never cited: Tan, Y. (2021). A reference nobody cites",
        "2 citation problem(s) found.",
    ]


def test_check_citations_is_quiet_and_exits_normally_when_clean():
    make_paper(
        title="Clean paper",
        sections=[("Body", "(Naslund et al., 2016, p. 1)")],
        references=[NASLUND],
    )
    out = run("check_citations")
    assert out == "0 citation problem(s) found.\n"


def test_check_citations_can_look_at_one_edition_only():
    clean_edition = make_edition(slug="clean-ed")
    make_paper(
        stream=make_stream(clean_edition),
        sections=[("B", "(Naslund et al., 2016)")],
        references=[NASLUND],
    )
    make_paper(title="Elsewhere", sections=[("Body", "(Okafor, 2015)")])
    assert run("check_citations", "--edition", "clean-ed") == "0 citation problem(s) found.\n"
    with pytest.raises(SystemExit):
        call_command("check_citations", stdout=io.StringIO())


def check():
    """check_citations' output lines and exit code (0 when it exits normally)."""
    out = io.StringIO()
    try:
        call_command("check_citations", stdout=out)
    except SystemExit as exited:
        return out.getvalue().splitlines(), exited.code
    return out.getvalue().splitlines(), 0


def test_check_citations_accepts_every_apa_form_when_each_work_is_cited():
    make_paper(
        title="Tides",
        sections=[
            (
                "Introduction",
                "Harbours flood (e.g., Quispe, 2017, 2020a, 2020b; see also Quispe & Hallorann, "
                "2018, pp. 4–6) and the Northern Institute of Coastal Health [NICH] agrees "
                "(Northern Institute of Coastal Health [NICH], 2020).",
            ),
            (
                "Method",
                "Ferreira-Lund et al. (2019, Table 2) counted boats at dawn; NICH (2020) counted "
                "nothing (cf. NICH, 2020, para. 3). Quispe's (2017) gauges (see Table 2) were "
                'read hourly (in 2020), as in "Lanterns on the Estuary" (2011 was wet) '
                '("Lanterns on the Estuary," 2011).',
            ),
            (
                "Sources",
                "Okoro (1998, as cited in Quispe & Hallorann, 2018) saw it first "
                "(T. Okoro, personal communication, March 3, 2021).",
            ),
        ],
        references=[
            QUISPE_2017,
            QUISPE_2020A,
            QUISPE_2020B,
            QUISPE_HALLORANN,
            FERREIRA_LUND,
            COASTAL,
            LANTERNS,
        ],
    )
    assert check() == (["0 citation problem(s) found."], 0)


def test_check_citations_reports_each_apa_form_that_matches_no_reference():
    paper = make_paper(
        title="Floods",
        sections=[
            (
                "Findings",
                "Walls fail (Quispe, 2020a, b; Quispe, 2020). Gates hold (NCH, 2020). "
                "Ferreira-Lund et al. (2019) agree, but Okoro (2019) does not.",
            ),
            ("Notes", "(see Table 2) (2019 was a good year) (in 2020) (Ferreira-Lund, 2019, p. 3)"),
        ],
        references=[QUISPE_2020A, QUISPE_2020B, FERREIRA_LUND, COASTAL],
    )
    lines, code = check()
    assert code == 1
    assert lines == [
        f"Floods ({paper.get_absolute_url()})",
        "  unmatched citation in 'Findings': (Quispe, b)",
        "  unmatched citation in 'Findings': (Quispe, 2020)",
        "  unmatched citation in 'Findings': (NCH, 2020)",
        "  unmatched citation in 'Findings': (2019)",
        "  never cited: Quispe, M. (2020b). Harbour gates",
        "  never cited: Northern Institute of Coastal Health (2020). Coastal health in numbers",
        "6 citation problem(s) found.",
    ]


def test_check_citations_reads_the_sections_in_order_for_group_abbreviations():
    marsh = {
        "authors": "Authority for the Protection of Marshes and Fens",
        "year": "2016",
        "title": "Birds of the fens",
    }
    make_paper(
        title="Marshes",
        sections=[
            ("First", "Birds nest there (MFA, 2016)."),
            ("Second", "(Authority for the Protection of Marshes and Fens [MFA], 2016)"),
            ("Third", "They leave in winter (MFA, 2016); MFA (2016) says so."),
        ],
        references=[marsh],
    )
    lines, code = check()
    # Used before it is introduced, the abbreviation matches nothing; afterwards it does.
    assert lines[1:] == [
        "  unmatched citation in 'First': (MFA, 2016)",
        "1 citation problem(s) found.",
    ]
    assert code == 1


def test_check_citations_unknown_edition_is_an_error_listing_the_known_ones():
    make_edition(slug="colloquy-2025")
    make_edition(slug="colloquy-2026")
    make_paper(title="Elsewhere", sections=[("Body", "(Okafor, 2015)")])
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("check_citations", "--edition", "nope", stdout=out)
    message = str(raised.value)
    assert message.startswith("No edition with the slug 'nope'. Known editions: ")
    assert "colloquy-2025, colloquy-2026" in message
    assert out.getvalue() == ""


def test_check_citations_unknown_edition_without_any_editions():
    with pytest.raises(
        CommandError, match=r"^No edition with the slug 'nope'\. There are no editions\.$"
    ):
        call_command("check_citations", "--edition", "nope", stdout=io.StringIO())


def test_check_citations_unknown_edition_does_not_list_many_editions():
    for n in range(11):
        make_edition(slug=f"edition-{n:02}")
    with pytest.raises(CommandError) as raised:
        call_command("check_citations", "--edition", "nope", stdout=io.StringIO())
    assert str(raised.value) == "No edition with the slug 'nope'."


def test_check_citations_empty_edition_slug_is_an_error():
    make_edition(slug="colloquy-2026")
    with pytest.raises(CommandError, match=r"^No edition with the slug ''\."):
        call_command("check_citations", "--edition", "", stdout=io.StringIO())
