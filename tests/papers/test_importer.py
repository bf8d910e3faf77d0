"""papers.importer.import_paper and `manage.py import_paper FILE`: all or nothing."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

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
    # name: (old, new, line, words in the message). A table of cases: its entries share a
    # shape because they are data, one malformed file each, not copied code.
    "no front matter": ("---\ntitle:", "title:", 1, "must start with a '---'"),
    "body read as front matter": (
        "---\n\n## Intro",
        "\n## Intro",
        11,
        "never closed with a '---' line before the first '## ' heading",
    ),
    "missing authors": ("authors: Ana Lima; Ben Okoro\n", "", 9, "missing: authors"),
    "missing required key": (
        "thesis: Small groups keep people because members notice each other.\n",
        "",
        9,
        "missing: thesis",
    ),
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
    # The front matter is YAML: its errors carry the file's line (the opening '---' is line 1).
    "unquoted colon in a value": (
        "title: Small groups keep people",
        "title: Small groups: why they keep people",
        2,
        "not valid YAML (column 20): mapping values are not allowed here; "
        "put quotes around a value that contains ': '",
    ),
    "unclosed quote": (
        "title: Small groups keep people",
        'title: "Small groups keep people',
        10,
        "found unexpected end of the front matter while scanning a quoted scalar "
        "that starts on line 2",
    ),
    "tab indentation": (
        "stream: groups",
        "stream: groups\n\textra: value",
        6,
        "found character '\\t' that cannot start any token; indent with spaces, not tabs",
    ),
    "unclosed flow list": (
        "authors: Ana Lima; Ben Okoro",
        "authors: [Ana Lima, Ben Okoro",
        4,
        "expected ',' or ']', but got ':' while parsing a flow sequence that starts on line 3",
    ),
    "control character": ("Ana Lima", "Ana\x07Lima", 3, "a character YAML does not allow (#x0007)"),
    "python tag": (
        "abstract: A short look at small groups.",
        "abstract: !!python/object/apply:os.getcwd []",
        9,
        "could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.getcwd'",
    ),
    "title is a list": (
        "title: Small groups keep people",
        "title:\n  - Small groups\n  - keep people",
        2,
        "title must be text, not a list",
    ),
    "thesis is a mapping": (
        "thesis: Small groups keep people because members notice each other.",
        "thesis:\n  short: Small groups keep people.",
        8,
        "thesis must be text, not a set of 'key: value' pairs",
    ),
    "date is a list": ("date: 2026-04-21", "date: [2026, 4, 21]", 6, "YYYY-MM-DD, not a list"),
    "date is a number": ("date: 2026-04-21", "date: 20260421", 6, "YYYY-MM-DD, not '20260421'"),
    "quoted impossible date": (
        "date: 2026-04-21",
        'date: "2026-04-31T10:00:00+02:00"',
        6,
        "date '2026-04-31T10:00:00+02:00' is not a day of the calendar (YYYY-MM-DD)",
    ),
    "author without a name": (
        "authors: Ana Lima; Ben Okoro",
        "authors:\n  - name: Ana Lima\n  - affiliation: Invented University",
        5,
        "an author in authors has no 'name'",
    ),
    "author with an empty name": (
        "authors: Ana Lima; Ben Okoro",
        "author:\n  - Ana Lima\n  -\n  - Ben Okoro",
        5,
        "an author in author has an empty name",
    ),
    "author name is a list": (
        "authors: Ana Lima; Ben Okoro",
        "authors:\n  - [Ana, Lima]",
        4,
        "an author's name in authors must be text, not a list",
    ),
    "author listed twice": (
        "authors: Ana Lima; Ben Okoro",
        "authors: [Ana Lima, Ben Okoro, ana  lima]",
        3,
        "'ana lima' is listed twice among the authors",
    ),
    "author and authors": (
        "slug: small-groups",
        "slug: small-groups\nauthor: Ana Lima",
        8,
        "'author' repeats 'authors' given on line 3; keep one",
    ),
    "title given twice": (
        "abstract: A short",
        "Title: Small groups again\nabstract: A short",
        9,
        "'title' repeats 'title' given on line 2; keep one",
    ),
    "draft and status": (
        "slug: small-groups",
        "slug: small-groups\ndraft: false\nstatus: published",
        9,
        "'status' repeats 'draft' given on line 8; keep one",
    ),
    "draft is not a flag": (
        "slug: small-groups",
        "slug: small-groups\ndraft: maybe",
        8,
        "draft must be true or false, not 'maybe'",
    ),
    "bad comments": (
        "slug: small-groups",
        "slug: small-groups\ncomments: sometimes",
        8,
        "comments must be 'open' or 'closed' (or true or false)",
    ),
    "empty required value": ("edition: ed-import", "edition: ~", 10, "missing: edition"),
    "folded title too long": (
        "title: Small groups keep people",
        "title: >\n  " + "T" * 200 + "\n  " + "T" * 200,
        2,
        "title is 401 characters; at most 300 are allowed",
    ),
    "listed author name too long": (
        "authors: Ana Lima; Ben Okoro",
        "authors:\n  - Ana Lima\n  - " + "B" * 201,
        5,
        "author display name is 201 characters; at most 200 are allowed",
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


# Front matter as Jekyll, Hugo and Pandoc users write it, read as YAML.

BODY = "## Introduction" + GOOD.split("## Introduction", 1)[1]

JEKYLL = (
    """\
---
layout: post
title: "Small groups: why they keep people"
author: Ana Lima
date: 2026-04-21 18:30:00 +0200
categories: [community, research]
tags:
  - groups
  - retention
edition: ed-import
stream: groups
permalink: /papers/small-groups/
excerpt_separator: <!--more-->
thesis: >
  Small groups keep people
  because members notice each other.
comments: true
published: false
---

"""
    + BODY
)

HUGO = (
    """\
---
title: 'Small groups, revisited: what members notice'
date: 2026-04-21T23:30:00-05:00
lastmod: 2026-02-30
draft: true
authors: [Ana Lima, Ben Okoro]
edition: ed-import
stream: Groups Stream
slug: small-groups-revisited
description: An invented summary that the importer ignores.
weight: 10
thesis: >-
  Small groups keep people:
  members notice each other.
comments: false
params:
  math: true
  toc: [1, 2]
---

"""
    + BODY
)

PANDOC = (
    """\
---
title: |
  Small groups keep people
author:
  - name: Ana Lima
    affiliation: Invented Institute of Groups
    email: ana@example.org
  - name: Ben Okoro
    orcid: 0000-0000-0000-0000
date: "2026-04-21"
edition: ed-import
stream: groups
lang: en-GB
bibliography: references.bib
keywords: [groups, retention]
header-includes: |
  \\usepackage{invented}
thesis: Small groups keep people
  because members notice
  each other.
abstract: |
  A first paragraph: on small groups.

  A second paragraph, with a line
  ---
  that only looks like a closing line.
status: draft
...

"""
    + BODY
)


def test_jekyll_front_matter(stream):
    paper, created = import_paper(JEKYLL)
    assert created is True
    paper.refresh_from_db()
    assert paper.title == "Small groups: why they keep people"
    assert paper.slug == "small-groups-why-they-keep-people"
    assert [p.display_name for p in paper.author_list] == ["Ana Lima"]
    assert paper.thesis == "Small groups keep people because members notice each other."
    assert paper.abstract == ""
    assert paper.published_on.date() == datetime.date(2026, 4, 21)
    assert paper.comments_open is True
    assert paper.status == Paper.Status.DRAFT  # published: false
    assert [s.heading for s in paper.sections.all()] == ["Introduction", "Findings"]
    assert paper.references.count() == 2


def test_hugo_front_matter(stream):
    paper, _ = import_paper(HUGO)
    paper.refresh_from_db()
    assert paper.title == "Small groups, revisited: what members notice"
    assert paper.slug == "small-groups-revisited"
    assert paper.stream == stream  # found by name
    assert [p.display_name for p in paper.author_list] == ["Ana Lima", "Ben Okoro"]
    # The day as written, though it is already the 22nd in UTC.
    assert paper.published_on.date() == datetime.date(2026, 4, 21)
    assert paper.thesis == "Small groups keep people: members notice each other."
    assert paper.status == Paper.Status.DRAFT  # draft: true
    assert paper.comments_open is False


def test_pandoc_front_matter_closed_with_dots(stream):
    paper, _ = import_paper(PANDOC)
    paper.refresh_from_db()
    assert paper.title == "Small groups keep people"
    assert [p.display_name for p in paper.author_list] == ["Ana Lima", "Ben Okoro"]
    assert paper.published_on.date() == datetime.date(2026, 4, 21)
    assert paper.thesis == "Small groups keep people because members notice each other."
    assert paper.abstract == (
        "A first paragraph: on small groups.\n\n"
        "A second paragraph, with a line\n---\nthat only looks like a closing line."
    )
    assert paper.status == Paper.Status.DRAFT
    assert paper.comments_open is True
    assert [s.heading for s in paper.sections.all()] == ["Introduction", "Findings"]


def test_unknown_keys_are_ignored(stream):
    text = variant("abstract:", "colour: green\nTags: [a, b]\nextra:\n  nested: {x: 1}\nabstract:")
    paper, _ = import_paper(text)
    assert paper.abstract == "A short look at small groups."


@pytest.mark.parametrize(
    "authors",
    [
        "authors: Ana Lima; Ben Okoro",
        "authors: [Ana Lima, Ben Okoro]",
        "authors:\n  - Ana Lima\n  - Ben Okoro",
        "authors:\n- Ana Lima\n- '  Ben   Okoro '",
        "author: Ana Lima; Ben Okoro",
        "author: [Ana Lima, Ben Okoro]",
        "authors:\n  - name: Ana Lima\n    affiliation: Somewhere\n  - {name: Ben Okoro}",
        "AUTHORS: >\n  Ana Lima;\n  Ben Okoro",
    ],
)
def test_authors_in_every_form(stream, authors):
    paper, _ = import_paper(variant("authors: Ana Lima; Ben Okoro", authors))
    assert [p.display_name for p in paper.author_list] == ["Ana Lima", "Ben Okoro"]


def test_a_single_author_mapping(stream):
    text = variant("authors: Ana Lima; Ben Okoro", "author:\n  name: Ana Lima\n  note: invented")
    paper, _ = import_paper(text)
    assert [p.display_name for p in paper.author_list] == ["Ana Lima"]


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("2026-04-21", datetime.date(2026, 4, 21)),
        ('"2026-04-21"', datetime.date(2026, 4, 21)),
        ("'2026-04-21'", datetime.date(2026, 4, 21)),
        ("2026-04-21T10:00:00+02:00", datetime.date(2026, 4, 21)),
        ("2026-04-21T00:30:00+14:00", datetime.date(2026, 4, 21)),
        ('"2026-04-21T23:59:59-11:00"', datetime.date(2026, 4, 21)),
        ("2026-04-21 10:00:00 +0200", datetime.date(2026, 4, 21)),
        ("2026-04-21 10:00", datetime.date(2026, 4, 21)),
        ("2026-04-21t10:00:00.5Z", datetime.date(2026, 4, 21)),
        ("2026-04-21 10:00:00", datetime.date(2026, 4, 21)),
    ],
)
def test_date_forms(stream, written, day):
    paper, _ = import_paper(variant("date: 2026-04-21", f"date: {written}"))
    paper.refresh_from_db()
    assert paper.published_on.date() == day


@pytest.mark.parametrize(
    ("lines", "status", "comments_open"),
    [
        ("status: draft", Paper.Status.DRAFT, True),
        ("status: Published\ncomments: Closed", Paper.Status.PUBLISHED, False),
        ("draft: true", Paper.Status.DRAFT, True),
        ("draft: false\ncomments: true", Paper.Status.PUBLISHED, True),
        ("published: false\ncomments: no", Paper.Status.DRAFT, False),
        ("published: true", Paper.Status.PUBLISHED, True),
        # Not Jekyll's flag but a date some tools put there: ignored.
        ("published: 2026-04-20\nstatus: draft", Paper.Status.DRAFT, True),
        ("status:\ncomments: ~", Paper.Status.PUBLISHED, True),
    ],
)
def test_status_and_comments_forms(stream, lines, status, comments_open):
    paper, _ = import_paper(variant("slug: small-groups", f"slug: small-groups\n{lines}"))
    paper.refresh_from_db()
    assert (paper.status, paper.comments_open) == (status, comments_open)


def test_values_keep_the_text_as_written(stream):
    """YAML would read these as a number, a boolean and a date; they stay the text written."""
    text = variant("title: Small groups keep people", "title: 1.10")
    text = variant("slug: small-groups", "slug: 2026-04-21", text)
    text = variant("abstract: A short look at small groups.", "abstract: No", text)
    paper, _ = import_paper(text)
    paper.refresh_from_db()
    assert (paper.title, paper.slug, paper.abstract) == ("1.10", "2026-04-21", "No")


def test_quoted_folded_and_literal_values(stream):
    text = variant(
        "title: Small groups keep people",
        "title: >-\n  Small groups:\n  why they\n  keep people",
    )
    text = variant(
        "thesis: Small groups keep people because members notice each other.",
        'thesis: "Small groups keep people: members \\u201cnotice\\u201d each other."',
        text,
    )
    text = variant(
        "abstract: A short look at small groups.",
        "abstract: |\n  Line one: kept.\n    Indented line two.\n",
        text,
    )
    paper, _ = import_paper(text)
    paper.refresh_from_db()
    assert paper.title == "Small groups: why they keep people"
    assert paper.thesis == "Small groups keep people: members “notice” each other."
    assert paper.abstract == "Line one: kept.\n  Indented line two."


def test_empty_optional_values_take_their_defaults(stream):
    text = variant("slug: small-groups", "slug: ~\nabstract: ''\nstatus:")
    text = variant("abstract: A short look at small groups.\n", "", text)
    paper, _ = import_paper(text)
    paper.refresh_from_db()
    assert (paper.slug, paper.abstract) == ("small-groups-keep-people", "")
    assert paper.status == Paper.Status.PUBLISHED


def test_yaml_comments_and_anchors_are_read(stream):
    text = variant(
        "edition: ed-import",
        "# Written by hand.\nedition: &ed ed-import  # the slug\nx-copy: *ed",
    )
    paper, _ = import_paper(text)
    assert paper.edition.slug == "ed-import"


def test_front_matter_error_messages_in_full(stream):
    with pytest.raises(ImportProblem) as raised:
        import_paper(variant("title: Small groups keep people", "title: Small groups: a look"))
    assert str(raised.value) == (
        "line 2: the front matter is not valid YAML (column 20): mapping values are not "
        "allowed here; put quotes around a value that contains ': '"
    )
    with pytest.raises(ImportProblem) as raised:
        import_paper(variant("date: 2026-04-21", "date: 21 April 2026"))
    assert str(raised.value) == "line 6: the date must be written YYYY-MM-DD, not '21 April 2026'"
    with pytest.raises(ImportProblem) as raised:
        import_paper(variant("title: Small groups keep people", "title: [Small, groups]"))
    assert str(raised.value) == "line 2: title must be text, not a list"
    assert counts()["Paper"] == 0


@pytest.mark.parametrize(
    ("front_matter", "line", "message"),
    [
        ("- title\n- authors\n", 2, "the front matter must be 'key: value' lines, not a list"),
        (
            "\n\nJust a sentence.\n",
            4,
            "the front matter must be 'key: value' lines, not 'Just a sentence.'",
        ),
        ("", 2, "front matter is missing: title, authors, edition, stream, thesis, date"),
        (
            "# only a comment\n",
            3,
            "front matter is missing: title, authors, edition, stream, thesis, date",
        ),
    ],
)
def test_front_matter_that_is_not_a_mapping(stream, front_matter, line, message):
    with pytest.raises(ImportProblem) as raised:
        import_paper(f"---\n{front_matter}---\n\n" + BODY)
    assert str(raised.value) == f"line {line}: {message}"
    assert counts()["Paper"] == 0


def test_python_tags_are_never_run(stream, tmp_path):
    marker = tmp_path / "marker"
    marker.write_text("still here", encoding="utf-8")
    text = variant(
        "abstract: A short look at small groups.",
        f"extra: !!python/object/apply:os.remove [{str(marker)!r}]",
    )
    with pytest.raises(ImportProblem, match=r"^line 9: .*could not determine a constructor"):
        import_paper(text)
    assert marker.read_text(encoding="utf-8") == "still here"
    assert counts()["Paper"] == 0


def test_an_invalid_date_in_an_ignored_key_is_ignored(stream):
    paper, _ = import_paper(
        variant("slug: small-groups", "slug: small-groups\nlastmod: 2026-02-30")
    )
    assert paper.slug == "small-groups"


def test_import_accepts_a_byte_order_mark_in_text(stream):
    paper, _ = import_paper("\ufeff" + GOOD)
    assert paper.title == "Small groups keep people"


def test_command_reads_crlf_files_and_reports_yaml_errors_with_their_line(stream, tmp_path):
    path = tmp_path / "windows.md"
    path.write_bytes(HUGO.replace("\n", "\r\n").encode("utf-8"))
    call_command("import_paper", str(path), stdout=io.StringIO())
    assert Paper.objects.get().slug == "small-groups-revisited"
    broken = variant("comments: false", "comments: false\n\tnote: tabbed", HUGO)
    path.write_bytes(broken.replace("\n", "\r\n").encode("utf-8"))
    with pytest.raises(CommandError) as raised:
        call_command("import_paper", str(path), stdout=io.StringIO())
    assert str(raised.value).startswith(f"{path}: line 16: the front matter is not valid YAML")
    assert str(raised.value).endswith("(nothing was changed)")
    assert Paper.objects.get().comments_open is False


def test_import_into_a_paper_given_renames_it_in_place(stream):
    """The admin's Markdown page: a new title and slug update this paper, never another."""
    paper, _ = import_paper(GOOD)
    renamed = variant("slug: small-groups", "slug: groups-that-last")
    renamed = variant("title: Small groups keep people", "title: Groups that last", renamed)
    again, created = import_paper(renamed, paper=paper)
    assert (again.pk, created) == (paper.pk, False)
    again.refresh_from_db()
    assert (again.title, again.slug) == ("Groups that last", "groups-that-last")
    assert Paper.objects.count() == 1


def test_import_into_a_paper_refuses_another_papers_slug(stream):
    paper, _ = import_paper(GOOD)
    other, _ = import_paper(variant("slug: small-groups", "slug: other-paper"))
    before, kept = counts(), snapshot(other)
    with pytest.raises(ImportProblem) as raised:
        import_paper(variant("Groups help", "Changed"), paper=other)
    assert raised.value.line == 7  # the slug's
    assert "has another paper at the slug 'small-groups'" in str(raised.value)
    assert (counts(), snapshot(other)) == (before, kept)
    with pytest.raises(ImportProblem, match="another paper at the slug"):
        import_paper(GOOD, paper=Paper())  # a new paper takes no other paper's slug
    assert snapshot(paper)[0] == "Small groups keep people"


def test_import_into_a_new_paper_makes_it(stream):
    paper, created = import_paper(GOOD, paper=Paper())
    assert created is True
    assert Paper.objects.get() == paper
    assert paper.sections.count() == 2


def test_reimport_of_the_same_day_keeps_the_time_of_day(stream):
    paper, _ = import_paper(GOOD)
    assert timezone.localtime(paper.published_on).hour == 9
    afternoon = timezone.make_aware(datetime.datetime(2026, 4, 21, 15, 45))
    Paper.objects.filter(pk=paper.pk).update(published_on=afternoon)
    again, _ = import_paper(variant("Groups help", "Groups do help"))
    assert again.published_on == afternoon
    moved, _ = import_paper(variant("date: 2026-04-21", "date: 2026-04-22"))
    assert moved.published_on == timezone.make_aware(datetime.datetime(2026, 4, 22, 9))
