"""A paper as one Markdown document, in the format import_paper reads (README: Writing a paper
as a file): YAML front matter, a `## ` section for each section, then `## References` with one
APA reference per paragraph. Figures stay in their sections' Markdown.

paper_document(paper) writes it, and import_paper(paper_document(paper)) gives the paper back
unchanged: the same fields, authors, sections and references. The admin's Markdown page edits
it, and every revision keeps it (revisions).

Some things a paper may hold (typed in the admin's inlines) have no faithful form in the
format; document_problems(paper) names them, so that the page editing the document can say so
before they change:
- a paper without authors (import_paper needs at least one);
- a section body with a line starting with "## " (it would start a new section), or a section
  headed "References" or "Bibliography" (it would be read as the reference list);
- a reference kept as written (Reference.text), which import_paper refuses until it is
  written as APA;
- a reference whose parts APA's plain text cannot tell apart (a title with a full stop inside
  it, a journal name with one, a URL as well as a DOI...): it is written as APA writes it, and
  read back differently.
"""

import re

import yaml
from django.utils import timezone

from .apa import DOI_PREFIX, ReferenceSyntaxError, _date, parse_reference
from .importer import BIBLIOGRAPHY_HEADINGS

REFERENCE_PARTS = (
    "authors",
    "year",
    "date_detail",
    "title",
    "container",
    "volume",
    "issue",
    "pages",
    "doi",
    "url",
)
# Characters YAML and Python's str.splitlines() (which the importer reads lines with) both
# take for line breaks: a value holding one is written double-quoted, where YAML escapes them.
LINE_SEPARATORS = "\x85\u2028\u2029"
NEW_SECTION = re.compile(r"^##\s", re.MULTILINE)


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, writing text that spans lines as a literal block (`|`)."""


def _represent_text(dumper, text):
    style = None
    if any(separator in text for separator in LINE_SEPARATORS):
        style = '"'
    elif "\n" in text:
        style = "|"  # PyYAML quotes it instead where a block cannot hold it exactly
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_text)


def _authors(paper):
    """Names, or a name and the e-mail address of the author's account, which import_paper
    finds the same person by."""
    authors = []
    for authorship in paper.authorships.select_related("person__user"):
        person = authorship.person
        email = person.user.email if person.user_id else ""
        authors.append(
            {"name": person.display_name, "email": email} if email else person.display_name
        )
    return authors


def front_matter(paper):
    """The front matter's values, in the order the README's example gives them."""
    meta = {
        "title": paper.title,
        "authors": _authors(paper),
        "edition": paper.edition.slug,
        "stream": paper.stream.slug,
        "date": timezone.localtime(paper.published_on).date(),
        "thesis": paper.thesis,
        "abstract": paper.abstract,
        "slug": paper.slug,
        "status": str(paper.status),  # the value, also of a Paper.Status member
        "comments": "open" if paper.comments_open else "closed",
    }
    if not meta["abstract"]:
        del meta["abstract"]
    return meta


def _yaml(meta):
    return yaml.dump(
        meta,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=float("inf"),  # one line per value: no folding
        default_flow_style=False,
    ).rstrip("\n")


def blank_document(edition=None, *, day):
    """A new paper's document to fill in: a draft of the edition (its first stream), dated
    `day`, with a section and a reference showing how they are written."""
    stream = edition.streams.first() if edition is not None else None
    meta = {
        "title": "The title of the paper",
        "authors": [{"name": "Author Name", "email": "author@example.org"}],
        "edition": edition.slug if edition is not None else "edition-slug",
        "stream": stream.slug if stream is not None else "stream-slug",
        "date": day,
        "thesis": "The thesis statement, in a sentence or two.",
        "abstract": "One paragraph that sums the paper up (optional).",
        "status": "draft",
        "comments": "open",
    }
    return "\n".join(
        [
            "---",
            _yaml(meta),
            "---",
            "",
            "## Introduction",
            "",
            "Each section under a '## ' heading. Cite works as (Surname, 2024, p. 12).",
            "",
            "## References",
            "",
            "Surname, A. (2024). Title of the work. Publisher.",
            "",
        ]
    )


def reference_text(reference):
    """One reference as papers.apa writes it (reference_html), as plain text that
    parse_reference reads back; one kept as written, as written (on one line)."""
    if reference.text:
        return " ".join(reference.text.split())
    date, original = _date(reference)
    title = reference.title if reference.title.endswith(("?", "!")) else f"{reference.title}."
    if reference.container and reference.volume:
        issue = f"({reference.issue})" if reference.issue else ""
        pages = f", {reference.pages}" if reference.pages else ""
        source = f" {reference.container}, {reference.volume}{issue}{pages}."
    elif reference.container:
        source = f" {reference.container}."
    else:
        source = ""
    address = DOI_PREFIX + reference.doi if reference.doi else reference.url
    link = f" {address}" if address else ""
    note = f" (Original work published {original})" if original else ""
    return f"{reference.authors} ({date}). {title}{source}{link}{note}"


def paper_document(paper):
    """The paper as one Markdown document that import_paper reads back to the same paper."""
    parts = ["---", _yaml(front_matter(paper)), "---", ""]
    for section in paper.sections.all():
        parts += [f"## {section.heading}", "", _lines(section.body), ""]
    references = list(paper.references.all())
    if references:
        parts += ["## References", ""]
        for reference in references:
            parts += [reference_text(reference), ""]
    return "\n".join(parts)


def _lines(text):
    """Text with the line breaks a document is read with ("\\r\\n" typed in a browser)."""
    return "\n".join(text.strip().splitlines())


def _differences(reference):
    """The parts of a reference that its text reads back differently, or the reason it is
    not read at all."""
    try:
        parts = parse_reference(reference_text(reference))
    except ReferenceSyntaxError as error:
        return str(error)
    changed = [name for name in REFERENCE_PARTS if parts.get(name, "") != getattr(reference, name)]
    return ", ".join(changed)


def document_problems(paper):
    """What paper_document(paper) cannot say as the paper holds it, in reading order: a
    sentence for each."""
    problems = []
    if not paper.authorships.exists():
        problems.append("The paper has no authors: the document must name at least one.")
    for section in paper.sections.all():
        if section.heading.strip().lower() in BIBLIOGRAPHY_HEADINGS:
            problems.append(
                f"Section “{section.heading}” would be read as the reference list: rename it."
            )
        if NEW_SECTION.search(section.body):
            problems.append(
                f"Section “{section.heading}” has a line starting with “## ”, which starts a "
                "new section in the document."
            )
    for number, reference in enumerate(paper.references.all(), start=1):
        if reference.text:
            problems.append(
                f"Reference {number} is kept as written, not read as APA: saving reads it as "
                "APA (Surname, A. (2020). Title. Journal, 1(2), 3–4.) or refuses it."
            )
        elif differences := _differences(reference):
            problems.append(
                f"Reference {number} ({reference}) reads back differently from the document: "
                f"{differences}."
            )
    return problems
