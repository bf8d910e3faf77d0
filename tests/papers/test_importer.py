"""papers.importer.import_paper and `manage.py import_paper FILE`: all or nothing."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from papers.importer import ImportProblem, import_paper
from papers.models import Authorship, Paper, Person, Reference, Section
from tests.factories import make_comment, make_edition, make_person, make_stream

pytestmark = pytest.mark.django_db

# Line numbers matter: the malformed variants below name them.
GOOD = """\
---
title: Small groups keep people
authors: Ana Lima; Ben Okoro
edition: ed-import
stream: groups
date: 2026-04-21
slug: small-groups
thesis: Small groups keep people because members notice each other.
abstract: A short look at small groups.
---

## Introduction

Groups help (Naslund et al., 2016, p. 114).

## Findings

Mercieca and Kelly say so (2018, pp. 71–72).

## References

Naslund, J. A., & Bartels, S. J. (2016). Peer support on invented platforms. Journal of Invented Studies, 25(2), 113–122. https://doi.org/10.5555/jis.2016.25

Mercieca, B., & Kelly, N. (2018). Teachers in private groups. Pretend Journal of Education, 46(1), 61–77.
"""

MALFORMED = {
    # name: (old, new, line, words in the message)
    "no front matter": ("---\ntitle:", "title:", 1, "must start with a '---'"),
    "body read as front matter": (
        "---\n\n## Intro",
        "\n## Intro",
        11,
        "known key, got '## Introduction'",
    ),
    "missing authors": ("authors: Ana Lima; Ben Okoro\n", "", 9, "missing: authors"),
    "missing required key": (
        "thesis: Small groups keep people because members notice each other.\n",
        "",
        9,
        "missing: thesis",
    ),
    "unknown key": ("abstract: A short", "colour: A short", 9, "known key"),
    "unknown edition": (
        "edition: ed-import",
        "edition: no-such-edition",
        4,
        "no edition with the slug 'no-such-edition'",
    ),
    "unknown stream": ("stream: groups", "stream: no-such-stream", 5, "no stream 'no-such-stream'"),
    "bad date": ("date: 2026-04-21", "date: 21/04/2026", 6, "YYYY-MM-DD"),
    "impossible date": ("date: 2026-04-21", "date: 2026-02-30", 6, "YYYY-MM-DD"),
    "bad status": ("slug: small-groups", "slug: small-groups\nstatus: maybe", 8, "status must be"),
    "bad reference line": (
        "Mercieca, B., & Kelly, N. (2018).",
        "Mercieca, B., & Kelly, N. 2018.",
        24,
        "APA reference",
    ),
    "empty section": (
        "Mercieca and Kelly say so (2018, pp. 71–72).",
        "",
        16,
        "'Findings' is empty",
    ),
    "text before the first heading": (
        "---\n\n## Intro",
        "---\nStray text.\n## Intro",
        11,
        "before the first '## ' heading",
    ),
    # Values longer than the model fields allow: SQLite would store them, PostgreSQL refuses.
    "title too long": (
        "title: Small groups keep people",
        "title: " + "T" * 400,
        2,
        "title is 400 characters; at most 300 are allowed",
    ),
    "author name too long": (
        "authors: Ana Lima; Ben Okoro",
        "authors: Ana Lima; " + "B" * 300,
        3,
        "author display name is 300 characters; at most 200 are allowed",
    ),
    "edition slug too long": ("edition: ed-import", "edition: " + "e" * 60, 4, "no edition with"),
    "stream too long": ("stream: groups", "stream: " + "s" * 250, 5, "has no stream"),
    "section heading too long": (
        "## Findings",
        "## " + "F" * 201,
        16,
        "section heading is 201 characters; at most 200 are allowed",
    ),
    "reference authors too long": (
        "Mercieca, B., & Kelly, N. (2018).",
        "Mercieca, B., & Kelly, N." + ", & Kelly, N." * 40 + " (2018).",
        24,
        "reference authors is 545 characters; at most 500 are allowed",
    ),
    "reference title too long": (
        "Teachers in private groups.",
        "T" * 501 + ".",
        24,
        "reference title is 501 characters; at most 500 are allowed",
    ),
    "reference container too long": (
        "Pretend Journal of Education",
        "J" * 301,
        24,
        "reference journal or book is 301 characters; at most 300 are allowed",
    ),
    "reference volume too long": (
        "46(1)",
        "4" * 21 + "(1)",
        24,
        "reference volume is 21 characters; at most 20 are allowed",
    ),
    "reference issue too long": (
        "46(1)",
        "46(" + "1" * 21 + ")",
        24,
        "reference issue is 21 characters; at most 20 are allowed",
    ),
    "reference pages too long": (
        "61–77.",
        "6" * 41 + ".",
        24,
        "reference pages is 41 characters; at most 40 are allowed",
    ),
    "reference DOI too long": (
        "https://doi.org/10.5555/jis.2016.25",
        "https://doi.org/10.5555/" + "j" * 200,
        22,
        "reference DOI is 208 characters; at most 200 are allowed",
    ),
    "reference URL too long": (
        "https://doi.org/10.5555/jis.2016.25",
        "https://example.org/" + "u" * 490,
        22,
        "reference URL is 510 characters; at most 500 are allowed",
    ),
}


@pytest.fixture
def stream():
    edition = make_edition(slug="ed-import", name="Import Conference")
    make_stream(edition, slug="other", name="Other")
    return make_stream(edition, slug="groups", name="Groups Stream")


def variant(old, new, text=GOOD):
    assert old in text, old
    return text.replace(old, new, 1)


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Paper, Person, Authorship, Section, Reference)
    }


def snapshot(paper):
    paper.refresh_from_db()
    return (
        paper.title,
        paper.thesis,
        [(a.person.display_name, a.position) for a in paper.authorships.all()],
        [(s.heading, s.body, s.body_html) for s in paper.sections.all()],
        [(r.authors, r.title, r.doi) for r in paper.references.all()],
    )


def test_import_creates_paper_with_all_its_parts(stream):
    paper, created = import_paper(GOOD)
    assert created is True
    paper = Paper.objects.get()
    assert paper.title == "Small groups keep people"
    assert paper.slug == "small-groups"
    assert paper.edition.slug == "ed-import"
    assert paper.stream == stream
    assert paper.thesis == "Small groups keep people because members notice each other."
    assert paper.abstract == "A short look at small groups."
    assert paper.status == Paper.Status.PUBLISHED
    assert paper.comments_open is True
    assert paper.published_on.date() == datetime.date(2026, 4, 21)


def test_import_creates_people_in_byline_order(stream):
    paper, _ = import_paper(GOOD)
    assert [p.display_name for p in paper.author_list] == ["Ana Lima", "Ben Okoro"]
    assert sorted(Person.objects.values_list("slug", flat=True)) == ["ana-lima", "ben-okoro"]


def test_import_makes_a_section_per_level_two_heading(stream):
    paper, _ = import_paper(GOOD)
    sections = list(paper.sections.all())
    assert [(s.position, s.heading, s.anchor) for s in sections] == [
        (0, "Introduction", "introduction"),
        (1, "Findings", "findings"),
    ]
    assert sections[0].body == "Groups help (Naslund et al., 2016, p. 114)."


def test_import_parses_the_references_section(stream):
    paper, _ = import_paper(GOOD)
    naslund, mercieca = paper.references.all()
    assert (naslund.authors, naslund.year, naslund.container) == (
        "Naslund, J. A., & Bartels, S. J.",
        "2016",
        "Journal of Invented Studies",
    )
    assert (naslund.volume, naslund.issue, naslund.pages) == ("25", "2", "113–122")
    assert naslund.doi == "10.5555/jis.2016.25"
    assert (mercieca.title, mercieca.doi, mercieca.anchor) == (
        "Teachers in private groups",
        "",
        "ref-mercieca-2018",
    )
    assert not Section.objects.filter(heading__iexact="references").exists()


def test_import_accepts_a_bibliography_heading(stream):
    paper, _ = import_paper(variant("## References", "## Bibliography"))
    assert paper.references.count() == 2
    assert list(paper.sections.values_list("heading", flat=True)) == ["Introduction", "Findings"]


def test_import_renders_citation_links(stream):
    paper, _ = import_paper(GOOD)
    intro, findings = paper.sections.all()
    assert '<a class="citation" href="#ref-naslund-2016">' in intro.body_html
    assert '<a class="citation" href="#ref-mercieca-2018">2018, pp. 71–72</a>' in findings.body_html


def test_import_reads_optional_status_and_comments(stream):
    text = variant("slug: small-groups", "slug: small-groups\nstatus: draft\ncomments: closed")
    paper, _ = import_paper(text)
    assert paper.status == Paper.Status.DRAFT
    assert paper.comments_open is False


def test_import_finds_the_stream_by_name(stream):
    paper, _ = import_paper(variant("stream: groups", "stream: groups stream"))
    assert paper.stream == stream


def test_import_slug_comes_from_the_title_when_not_given(stream):
    paper, _ = import_paper(variant("slug: small-groups\n", ""))
    assert paper.slug == "small-groups-keep-people"


def test_import_reuses_people_by_name_and_avoids_slug_clashes(stream):
    ana = make_person("ana lima")
    Person.objects.filter(pk=make_person("Somebody Else").pk).update(slug="ben-okoro")
    paper, _ = import_paper(GOOD)
    first, second = paper.author_list
    assert first.pk == ana.pk
    assert second.display_name == "Ben Okoro"
    assert second.slug == "ben-okoro-2"


def test_reimport_with_changed_title_and_sections_updates_the_same_paper(stream):
    paper, _ = import_paper(GOOD)
    comment = make_comment(paper)
    changed = variant("title: Small groups keep people", "title: Small groups keep people going")
    changed = variant("## Findings", "## Results", changed)
    changed = variant("Groups help", "Small groups help", changed)
    again, created = import_paper(changed)
    assert created is False
    assert again.pk == paper.pk
    assert Paper.objects.count() == 1
    assert Person.objects.count() == 2
    assert Authorship.objects.count() == 2
    assert Reference.objects.count() == 2
    again.refresh_from_db()
    assert again.title == "Small groups keep people going"
    assert list(again.sections.values_list("heading", flat=True)) == ["Introduction", "Results"]
    assert Section.objects.count() == 2
    assert again.sections.first().body.startswith("Small groups help")
    assert list(again.comments.all()) == [comment]


def test_reimport_replaces_authors_and_references(stream):
    import_paper(GOOD)
    second_ref = "\n\nMercieca, B., & Kelly, N. (2018). Teachers in private groups. Pretend Journal of Education, 46(1), 61–77.\n"
    changed = variant("authors: Ana Lima; Ben Okoro", "authors: Ben Okoro")
    changed = variant("Mercieca and Kelly say so (2018, pp. 71–72).", "They do.", changed)
    changed = variant(second_ref, "\n", changed)
    paper, _ = import_paper(changed)
    assert [p.display_name for p in paper.author_list] == ["Ben Okoro"]
    assert list(paper.references.values_list("year", flat=True)) == ["2016"]
    assert Reference.objects.count() == 1


@pytest.mark.parametrize("case", MALFORMED)
def test_malformed_file_names_the_line_and_changes_nothing(stream, case):
    old, new, line, words = MALFORMED[case]
    before = counts()
    with pytest.raises(ImportProblem) as raised:
        import_paper(variant(old, new))
    assert raised.value.line == line
    assert str(raised.value).startswith(f"line {line}: ")
    assert words in str(raised.value)
    assert counts() == before


@pytest.mark.parametrize("case", MALFORMED)
def test_broken_reimport_leaves_the_existing_paper_intact(stream, case):
    paper, _ = import_paper(GOOD)
    before, kept = counts(), snapshot(paper)
    old, new, line, _words = MALFORMED[case]
    broken = variant(old, new)
    broken = broken.replace("title: Small groups keep people", "title: A new title")
    broken = broken.replace("Groups help", "Everything changed")
    with pytest.raises(ImportProblem) as raised:
        import_paper(broken)
    assert raised.value.line == line
    assert counts() == before
    assert snapshot(paper) == kept


def test_front_matter_that_is_never_closed_is_reported_at_the_last_line(stream):
    with pytest.raises(ImportProblem, match=r"^line 3: the front matter is never closed"):
        import_paper("---\ntitle: Unfinished\nauthors: Ana Lima\n")
    assert counts()["Paper"] == 0


def test_a_file_with_only_references_has_no_sections(stream):
    text = (
        GOOD.split("## Introduction")[0] + "## References\n\n" + GOOD.split("## References\n\n")[1]
    )
    with pytest.raises(ImportProblem, match=r"^line 11: the paper has no '## ' sections"):
        import_paper(text)
    assert counts()["Paper"] == 0


def test_command_imports_then_updates(stream, tmp_path):
    path = tmp_path / "paper.md"
    path.write_text(GOOD, encoding="utf-8")
    out = io.StringIO()
    call_command("import_paper", str(path), stdout=out)
    paper = Paper.objects.get()
    assert out.getvalue() == (f"Imported 'Small groups keep people': {paper.get_absolute_url()}\n")
    path.write_text(variant("## Findings", "## Results"), encoding="utf-8")
    out = io.StringIO()
    call_command("import_paper", str(path), stdout=out)
    assert out.getvalue().startswith("Updated 'Small groups keep people': ")
    assert Paper.objects.get().pk == paper.pk
    assert list(paper.sections.values_list("heading", flat=True)) == ["Introduction", "Results"]


def test_command_imports_several_files(stream, tmp_path):
    first, second = tmp_path / "a.md", tmp_path / "b.md"
    first.write_text(GOOD, encoding="utf-8")
    second.write_text(variant("slug: small-groups", "slug: second-paper"), encoding="utf-8")
    call_command("import_paper", str(first), str(second), stdout=io.StringIO())
    assert sorted(Paper.objects.values_list("slug", flat=True)) == ["second-paper", "small-groups"]


@pytest.mark.parametrize(
    "case", ["unknown stream", "bad reference line", "empty section", "title too long"]
)
def test_command_reports_a_malformed_file_with_its_line(stream, tmp_path, case):
    old, new, line, words = MALFORMED[case]
    path = tmp_path / "broken.md"
    path.write_text(variant(old, new), encoding="utf-8")
    before = counts()
    with pytest.raises(CommandError) as raised:
        call_command("import_paper", str(path), stdout=io.StringIO())
    message = str(raised.value)
    assert message.startswith(f"{path}: line {line}: ")
    assert words in message
    assert message.endswith("(nothing was changed)")
    assert counts() == before


def test_command_reports_a_missing_file(stream, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_paper", str(tmp_path / "absent.md"), stdout=io.StringIO())


def test_overlong_values_are_reported_from_the_first_line(stream):
    text = variant("title: Small groups keep people\n", "")
    text = variant("abstract:", "title: " + "T" * 301 + "\nabstract:", text)
    text = variant("authors: Ana Lima; Ben Okoro", "authors: " + "A" * 201, text)
    text = variant("## Findings", "## " + "F" * 201, text)
    with pytest.raises(ImportProblem) as raised:
        import_paper(text)
    assert str(raised.value) == (
        "line 2: author display name is 201 characters; at most 200 are allowed"
    )
    assert counts()["Paper"] == 0


def test_import_accepts_values_at_the_field_limits(stream):
    text = variant("title: Small groups keep people", "title: " + "T" * 300)
    text = variant("authors: Ana Lima; Ben Okoro", "authors: " + "A" * 200, text)
    text = variant("## Findings", "## " + "F" * 100, text)
    paper, _ = import_paper(text)
    paper.refresh_from_db()
    assert paper.title == "T" * 300
    assert [p.display_name for p in paper.author_list] == ["A" * 200]


def test_import_keeps_long_author_slugs_within_their_field(stream):
    limit = Person._meta.get_field("slug").max_length
    name = "Maria " + "Longname" * 15
    Person.objects.filter(pk=make_person("Someone").pk).update(
        slug=("maria-" + "longname" * 15)[:limit]
    )
    paper, _ = import_paper(variant("authors: Ana Lima; Ben Okoro", f"authors: {name}; Ana Lima"))
    long_named, _ana = paper.author_list
    long_named.refresh_from_db()
    assert long_named.display_name == name
    assert len(long_named.slug) <= limit
    assert long_named.slug.startswith("maria-longname")
    assert long_named.slug.endswith("-2")


def test_import_accepts_a_utf8_byte_order_mark(stream, tmp_path):
    path = tmp_path / "bom.md"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    call_command("import_paper", str(path), stdout=io.StringIO())
    assert Paper.objects.get().title == "Small groups keep people"


def test_command_reports_a_file_that_is_not_utf8_with_its_line(stream, tmp_path):
    path = tmp_path / "cp1252.md"
    path.write_bytes(variant("Ana Lima", "Ana Lím").encode("cp1252"))
    before = counts()
    with pytest.raises(CommandError) as raised:
        call_command("import_paper", str(path), stdout=io.StringIO())
    assert str(raised.value) == (
        f"{path}: line 3: the file is not UTF-8 text (byte 0xED at column 15); "
        "save it as UTF-8 (nothing was changed)"
    )
    assert counts() == before


def test_command_reports_bad_utf8_on_a_later_line_of_a_paper_being_updated(stream, tmp_path):
    paper, _ = import_paper(GOOD)
    kept = snapshot(paper)
    path = tmp_path / "cp1252.md"
    path.write_bytes(variant("Groups help", "Groups help — a lot").encode("cp1252"))
    with pytest.raises(CommandError, match=r": line 14: the file is not UTF-8 text \(byte 0x97 "):
        call_command("import_paper", str(path), stdout=io.StringIO())
    assert snapshot(paper) == kept
