"""The check_citations management command."""

import io

import pytest
from django.core.management import CommandError, call_command

from tests.factories import make_edition, make_paper, make_stream
from tests.papers.references import NASLUND, TAN

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
