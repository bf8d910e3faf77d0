"""A submitted paper's text, with what the submission form decides written into it.

Authors write a paper as import_paper reads it (README: Writing a paper as a file), but its
edition, stream, authors, date, status and address are the form's to say, not the text's:
those keys are blanked out of the author's front matter (their lines kept, empty, so every
line keeps its number) and the form's values are written at the end of the front matter.
A problem the importer finds is reported with the line of the text the author wrote.
"""

import dataclasses

import yaml

from papers.importer import FRONT_MATTER_ENDS, ImportProblem

# What the form sets, under every name the importer reads it by.
FORM_KEYS = {
    "edition",
    "stream",
    "authors",
    "author",
    "date",
    "status",
    "draft",
    "published",
    "slug",
}

TEMPLATE = """\
---
title: The title of your paper
thesis: Your thesis statement, in a sentence or two.
abstract: >
  One paragraph that sums the paper up (optional).
---

## Introduction

Write each section under a `## ` heading. Cite works as (Author, 2024, p. 12).

## References

Author, A. A. (2024). Title of the work. Publisher.
"""


@dataclasses.dataclass(frozen=True)
class Document:
    """The text import_paper is given, and how to find the author's line of any of its own."""

    text: str
    inserted_at: int = 0  # the line number of the first line the form wrote
    inserted: int = 0  # how many lines it wrote

    def authors_line(self, line):
        """The line of the author's text that the importer's line `line` comes from."""
        if not self.inserted or line < self.inserted_at:
            return line
        return max(self.inserted_at, line - self.inserted)

    def problem(self, problem):
        """An ImportProblem about this text, told with the line of the author's text."""
        message = str(problem).split(": ", 1)[1]
        return ImportProblem(self.authors_line(problem.line), message)


def _closing_line(lines):
    """The number of the line that closes the front matter; None when there is none."""
    if not lines or lines[0].strip() != "---":
        return None
    return next(
        (n for n, line in enumerate(lines[1:], start=2) if line.rstrip() in FRONT_MATTER_ENDS),
        None,
    )


def _form_key_lines(block):
    """The (0-based) lines of the front matter block that the form's keys take up."""
    try:
        node = yaml.compose(block, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return set()  # the importer reports it, with its line
    if not isinstance(node, yaml.MappingNode) or node.flow_style:
        return set()
    taken = set()
    for key, value in node.value:
        if not (isinstance(key, yaml.ScalarNode) and key.value.strip().lower() in FORM_KEYS):
            continue
        last = value.end_mark.line
        if value.end_mark.column == 0 and last > key.start_mark.line:
            last -= 1  # a block ends where the next key starts
        taken.update(range(key.start_mark.line, last + 1))
    return taken


def _authors(authors):
    """The front matter's authors: [(name, e-mail)] as YAML data."""
    return [{"name": name, "email": email} if email else {"name": name} for name, email in authors]


def submission_document(text, *, edition, stream, authors, date, slug=None):
    """The Document import_paper is given for this text: the text's own edition, stream,
    authors, date, status and slug left out, the form's put in (a draft).

    authors: [(name, e-mail)] in byline order ("" for no e-mail). A text without front
    matter is given as it is, so that the importer says what is wrong with it."""
    lines = text.removeprefix("\ufeff").splitlines()
    end = _closing_line(lines)
    if end is None:
        return Document(text)
    taken = _form_key_lines("\n".join(lines[1 : end - 1]) + "\n")
    own = ["" if n - 1 in taken else line for n, line in enumerate(lines[1 : end - 1], start=1)]
    values = {
        "edition": edition.slug,
        "stream": stream.slug,
        "authors": _authors(authors),
        "date": date,
        "status": "draft",
    }
    if slug:
        values["slug"] = slug
    written = yaml.safe_dump(
        values, sort_keys=False, allow_unicode=True, default_flow_style=False, width=10_000
    ).splitlines()
    text = "\n".join([lines[0], *own, *written, *lines[end - 1 :]]) + "\n"
    return Document(text, inserted_at=end, inserted=len(written))
