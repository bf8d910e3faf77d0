"""papers.document.paper_document: a paper as the Markdown document import_paper reads, and
read back by it to the same paper."""

import datetime
import re

import pytest
from django.utils import timezone

from demo.loader import load_demo
from papers.apa import parse_reference
from papers.document import document_problems, paper_document, reference_text
from papers.importer import import_paper
from papers.models import Paper, Reference
from tests.factories import make_paper, make_person, make_stream, make_user
from tests.papers import references

pytestmark = pytest.mark.django_db

PAPER_FIELDS = (
    "edition_id",
    "stream_id",
    "title",
    "slug",
    "thesis",
    "abstract",
    "published_on",
    "status",
    "comments_open",
    "keep_comments_open",
)
REFERENCE_FIELDS = (
    "authors",
    "year",
    "date_detail",
    "title",
    "text",
    "container",
    "volume",
    "issue",
    "pages",
    "doi",
    "url",
    "anchor",
)


def snapshot(paper):
    """What a reader and the admin see of a paper: its fields, authors, sections, references."""
    paper = Paper.objects.get(pk=paper.pk)
    return {
        "pk": paper.pk,
        "fields": {name: getattr(paper, name) for name in PAPER_FIELDS},
        "authors": [
            (a.person_id, a.person.display_name, a.person.user.email if a.person.user else "")
            for a in paper.authorships.select_related("person__user")
        ],
        "sections": [
            (s.position, s.heading, s.body, s.anchor, s.body_html) for s in paper.sections.all()
        ],
        "references": [
            (r.position, *(getattr(r, name) for name in REFERENCE_FIELDS))
            for r in paper.references.all()
        ],
    }


def assert_round_trip(paper):
    before = snapshot(paper)
    document = paper_document(paper)
    again, created = import_paper(document)
    assert not created
    assert snapshot(again) == before
    assert paper_document(again) == document


def at_nine(year, month, day):
    """A paper's date as import_paper stores it: 9 in the morning, the site's time."""
    return timezone.make_aware(datetime.datetime(year, month, day, 9))


def test_document_of_a_paper():
    stream = make_stream(slug="groups")
    paper = make_paper(
        stream=stream,
        title="Small groups keep people",
        slug="small-groups",
        thesis="Members notice each other.",
        abstract="A short look.",
        published_on=at_nine(2026, 4, 21),
        authors=[
            make_person("Ana Lima", user=make_user("ana", email="ana@example.org")),
            make_person("Ben Okoro"),
        ],
        sections=[
            ("Introduction", "Groups help (Naslund et al., 2016, p. 114)."),
            ("Findings", "Tan says so (2021).\n\nSecond paragraph."),
        ],
        references=[references.NASLUND, references.TAN],
    )
    assert (
        paper_document(paper)
        == f"""\
---
title: Small groups keep people
authors:
- name: Ana Lima
  email: ana@example.org
- Ben Okoro
edition: {stream.edition.slug}
stream: groups
date: 2026-04-21
thesis: Members notice each other.
abstract: A short look.
slug: small-groups
status: published
comments: open
---

## Introduction

Groups help (Naslund et al., 2016, p. 114).

## Findings

Tan says so (2021).

Second paragraph.

## References

Naslund, J. A., Aschbrenner, K. A., & Bartels, S. J. (2016). Peer support on invented platforms. Journal of Invented Studies, 25(2), 113–122. https://doi.org/10.5555/jis.2016.25

Tan, Y. (2021). A reference nobody cites.
"""
    )


def test_document_leaves_out_an_empty_abstract_and_an_empty_reference_list():
    paper = make_paper(abstract="", status=Paper.Status.DRAFT, comments_open=False)
    document = paper_document(paper)
    assert "abstract:" not in document
    assert "## References" not in document
    assert "status: draft\ncomments: closed\n" in document


def test_demo_papers_come_back_unchanged():
    papers = load_demo().papers
    assert len(papers) == 4
    for paper in papers:
        assert_round_trip(paper)


def test_demo_documents_say_what_the_demo_files_say():
    """The demo's own files and the documents written from them import to the same papers;
    the documents add the authors' e-mail addresses and the defaults the files leave out."""
    paper = next(p for p in load_demo().papers if p.slug == "maintainer-burnout")
    document = paper_document(paper)
    assert "- name: Farah Siddiqui\n  email: farah-siddiqui@example.org\n" in document
    assert "status: published\ncomments: open\n---\n\n## Introduction\n\n" in document
    assert "Kovačević, " in document
    assert not document_problems(paper)


HOSTILE_TEXTS = [
    "Quotes \"double\" and 'single'",
    "Colons: everywhere: # and a hash",
    "- a dash first",
    "? a question mark first",
    "[brackets] and {braces}, & * ! | > % @ `",
    "yes",
    "No",
    "null",
    "~",
    "2026",
    "1.5e3",
    "0x1F",
    "Ünïcödé — ‘typographic’ “quotes” 日本語 ✓",
    "---",
    "...",
    "Trailing backslash \\",
    "<script>alert(1)</script> & <b>bold</b>",
]


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_hostile_text_comes_back_unchanged(text):
    author = make_person(f"{text[:40]} Author".strip())
    paper = make_paper(
        title=f"{text} title",
        thesis=f"{text}\n{text}\n\n  indented line: {text}",
        abstract=f"{text} abstract\n---\n",
        authors=[author],
        published_on=at_nine(2026, 4, 21),
        sections=[
            (f"{text} heading", f"Body with {text}.\n\n> quoted: {text}\n\n    code: {text}"),
            ("Second", "---\n\nAfter a rule."),
        ],
        # APA's plain text ends a title at its first full stop, question or exclamation mark
        references=[{**references.TAN, "title": "In a title: " + re.sub(r"[.?!]\s*", "", text)}],
    )
    paper.thesis = paper.thesis.strip()
    paper.abstract = paper.abstract.strip()
    paper.save()
    assert_round_trip(paper)


def test_line_separators_and_tabs_in_the_thesis_come_back_unchanged():
    """Characters YAML and Python both take for line breaks are written as YAML escapes."""
    paper = make_paper(
        authors=[make_person()],
        thesis="Line\u2028separator, next\x85line,\ttab\nand a second line.",
        abstract="Paragraph\u2029separator",
        published_on=at_nine(2026, 4, 21),
    )
    document = paper_document(paper)
    assert 'thesis: "Line\\Lseparator, next\\Nline,\\ttab\\nand a second line."' in document
    assert_round_trip(paper)


def test_multi_line_thesis_is_a_literal_block():
    paper = make_paper(
        authors=[make_person()],
        thesis="First line.\nSecond line: with a colon.",
        published_on=at_nine(2026, 4, 21),
    )
    assert "thesis: |-\n  First line.\n  Second line: with a colon.\n" in paper_document(paper)
    assert_round_trip(paper)


def test_time_of_day_of_the_date():
    """The document gives the day, in the site's time zone."""
    late = timezone.make_aware(datetime.datetime(2026, 4, 21, 23, 30))
    assert "date: 2026-04-21\n" in paper_document(make_paper(published_on=late))


@pytest.mark.parametrize(
    "parts",
    [
        references.NASLUND,
        references.GAVRILA,
        references.NIELA_VILEN,
        references.MERCIECA,
        references.TAN,
        {"authors": "Tan, Y.", "year": "2020a", "date_detail": "March 3", "title": "Tides"},
        {"authors": "Freud, S.", "year": "1923/2004", "title": "Old work", "container": "Press"},
        {"authors": "Lee, J.", "year": "n.d.-a", "title": "Why?", "url": "https://example.org/x"},
        {"authors": "Lee, J.", "year": "in press", "title": "Soon"},
        {"authors": "World Health Organization.", "year": "2019–2020", "title": "A report"},
    ],
)
def test_reference_text_reads_back_as_the_same_parts(parts):
    reference = Reference(**parts)
    read = parse_reference(reference_text(reference))
    assert {name: read[name] for name in parts} == parts
    assert all(not value for name, value in read.items() if name not in parts)


def test_reference_kept_as_written_is_its_text_on_one_line():
    reference = Reference(text="Some  unreadable\nreference, 2020")
    assert reference_text(reference) == "Some unreadable reference, 2020"


def test_document_problems_name_what_the_format_cannot_say():
    paper = make_paper(
        sections=[("Intro", "Text.\n## Not a section"), ("References", "A section so named.")],
        references=[
            {"text": "Kept as written"},
            {**references.TAN, "title": "Mr. Smith goes online"},
            references.NASLUND,
        ],
    )
    problems = document_problems(paper)
    assert problems[0] == "The paper has no authors: the document must name at least one."
    del problems[0]
    assert len(problems) == 4
    assert "Section “Intro” has a line starting with “## ”" in problems[0]
    assert "Section “References” would be read as the reference list" in problems[1]
    assert problems[2].startswith("Reference 1 is kept as written")
    assert problems[3].startswith("Reference 2 (Tan, Y. (2021). Mr. Smith goes online)")
    assert problems[3].endswith("title, container.")
