"""Importing a paper written as Markdown with front matter (see README: Importing a paper).

The whole file is read and checked before anything is written; a problem is reported with
its line number and nothing changes. Importing the same file again updates the paper.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from .apa import ReferenceSyntaxError, parse_reference
from .models import Authorship, Edition, Paper, Person, Reference, Section, Stream
from .services import paper_render

REQUIRED_KEYS = ("title", "authors", "edition", "stream", "thesis", "date")
OPTIONAL_KEYS = ("slug", "abstract", "status", "comments")
BIBLIOGRAPHY_HEADINGS = {"bibliography", "references"}


class ImportProblem(ValueError):
    def __init__(self, line, message):
        super().__init__(f"line {line}: {message}")
        self.line = line


def decode(data):
    """The text of a paper file's bytes: UTF-8, with or without a byte-order mark."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # Everything before the bad byte is valid, so it gives the line and column as read.
        before = error.object[: error.start].decode("utf-8")
        lines = (before + "x").splitlines()
        bad = error.object[error.start]
        raise ImportProblem(
            len(lines),
            f"the file is not UTF-8 text (byte 0x{bad:02X} at column {len(lines[-1])}); "
            "save it as UTF-8",
        ) from None


@dataclass
class ParsedPaper:
    meta: dict
    meta_lines: dict
    sections: list = field(default_factory=list)  # (line, heading, body)
    references: list = field(default_factory=list)  # (line, dict of Reference fields)


def _front_matter(lines):
    if not lines or lines[0].strip() != "---":
        raise ImportProblem(1, "the file must start with a '---' line opening the front matter")
    meta, meta_lines = {}, {}
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            missing = [key for key in REQUIRED_KEYS if not meta.get(key)]
            if missing:
                raise ImportProblem(number, f"front matter is missing: {', '.join(missing)}")
            return meta, meta_lines, number
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if not sep or key not in REQUIRED_KEYS + OPTIONAL_KEYS:
            raise ImportProblem(number, f"expected 'key: value' with a known key, got {line!r}")
        meta[key], meta_lines[key] = value.strip(), number
    raise ImportProblem(len(lines), "the front matter is never closed with a '---' line")


def _references(block, first_line):
    references, paragraph, start = [], [], first_line
    for number, line in enumerate([*block, ""], start=first_line):
        if line.strip():
            paragraph.append(line)
            continue
        if paragraph:
            try:
                references.append((start, parse_reference(" ".join(paragraph))))
            except ReferenceSyntaxError as error:
                raise ImportProblem(start, str(error)) from None
        paragraph, start = [], number + 1
    return references


def parse_paper(text):
    lines = text.splitlines()
    meta, meta_lines, end = _front_matter(lines)
    parsed = ParsedPaper(meta=meta, meta_lines=meta_lines)
    heading, heading_line, body = None, None, []

    def close_section():
        if heading is None:
            if "".join(body).strip():
                raise ImportProblem(end + 1, "text before the first '## ' heading")
        elif heading.lower() in BIBLIOGRAPHY_HEADINGS:
            parsed.references = _references(body, heading_line + 1)
        elif not "".join(body).strip():
            raise ImportProblem(heading_line, f"section {heading!r} is empty")
        else:
            parsed.sections.append((heading_line, heading, "\n".join(body).strip()))

    for number, line in enumerate(lines[end:], start=end + 1):
        if re.match(r"^##\s", line):
            close_section()
            heading, heading_line, body = line[3:].strip(), number, []
        else:
            body.append(line)
    close_section()
    if not parsed.sections:
        raise ImportProblem(end + 1, "the paper has no '## ' sections")
    return parsed


def _resolve(parsed):
    """Look up what the front matter names; raises ImportProblem before any write."""
    meta, at = parsed.meta, parsed.meta_lines
    edition = Edition.objects.filter(slug=meta["edition"]).first()
    if edition is None:
        raise ImportProblem(at["edition"], f"no edition with the slug {meta['edition']!r}")
    stream = Stream.objects.filter(edition=edition, slug=meta["stream"]).first()
    stream = stream or Stream.objects.filter(edition=edition, name__iexact=meta["stream"]).first()
    if stream is None:
        raise ImportProblem(at["stream"], f"{edition} has no stream {meta['stream']!r}")
    try:
        published = datetime.datetime.combine(
            datetime.date.fromisoformat(meta["date"]), datetime.time(9)
        )
    except ValueError:
        raise ImportProblem(at["date"], "the date must be written YYYY-MM-DD") from None
    status = meta.get("status", Paper.Status.PUBLISHED)
    if status not in Paper.Status.values:
        raise ImportProblem(at["status"], "status must be 'published' or 'draft'")
    comments = meta.get("comments", "open")
    if comments not in ("open", "closed"):
        raise ImportProblem(at["comments"], "comments must be 'open' or 'closed'")
    slug_length = Paper._meta.get_field("slug").max_length
    slug = slugify(meta.get("slug") or meta["title"])[:slug_length].strip("-")
    if not slug:
        raise ImportProblem(at.get("slug", at["title"]), "no usable slug for this paper")
    authors = [name.strip() for name in meta["authors"].split(";") if name.strip()]
    return {
        "edition": edition,
        "stream": stream,
        "slug": slug,
        "authors": authors,
        "fields": {
            "stream": stream,
            "title": meta["title"],
            "thesis": meta["thesis"],
            "abstract": meta.get("abstract", ""),
            "published_on": timezone.make_aware(published),
            "status": status,
            "comments_open": comments == "open",
        },
    }


def _overlong(instance, line, prefix=""):
    """An ImportProblem for each value longer than its model field allows.

    SQLite stores such values anyway; PostgreSQL refuses them in the middle of the import.
    `line` is the value's line number, or a function from a field name to it.
    """
    for model_field in instance._meta.concrete_fields:
        value, limit = getattr(instance, model_field.attname), model_field.max_length
        if limit and isinstance(value, str) and len(value) > limit:
            yield ImportProblem(
                line(model_field.name) if callable(line) else line,
                f"{prefix}{model_field.verbose_name} is {len(value)} characters; "
                f"at most {limit} are allowed",
            )


def _check_lengths(parsed, found):
    """Check every value against its model field's max_length before anything is written."""
    at = parsed.meta_lines
    paper = Paper(edition=found["edition"], slug=found["slug"], **found["fields"])
    problems = [*_overlong(paper, lambda name: at.get(name, at["title"]))]
    for name in found["authors"]:
        problems += _overlong(Person(display_name=name), at["authors"], "author ")
    for line, heading, body in parsed.sections:
        problems += _overlong(Section(heading=heading, body=body), line, "section ")
    for line, parts in parsed.references:
        problems += _overlong(Reference(**parts), line, "reference ")
    if problems:
        raise min(problems, key=lambda problem: problem.line)


def _person(display_name):
    person = Person.objects.filter(display_name__iexact=display_name).first()
    if person:
        return person
    limit = Person._meta.get_field("slug").max_length
    base = slugify(display_name)[:limit].strip("-") or "author"
    slug, n = base, 2
    while Person.objects.filter(slug=slug).exists():
        suffix = f"-{n}"
        slug, n = base[: limit - len(suffix)].rstrip("-") + suffix, n + 1
    return Person.objects.create(display_name=display_name, slug=slug)


@transaction.atomic
def import_paper(text):
    """Create or update the paper the text describes; returns (paper, created)."""
    parsed = parse_paper(text)
    found = _resolve(parsed)
    _check_lengths(parsed, found)
    paper, created = Paper.objects.update_or_create(
        edition=found["edition"], slug=found["slug"], defaults=found["fields"]
    )
    paper.authorships.all().delete()
    Authorship.objects.bulk_create(
        Authorship(paper=paper, person=_person(name), position=position)
        for position, name in enumerate(found["authors"])
    )
    paper.sections.all().delete()
    Section.objects.bulk_create(
        Section(paper=paper, position=position, heading=heading, body=body)
        for position, (_line, heading, body) in enumerate(parsed.sections)
    )
    paper.references.all().delete()
    Reference.objects.bulk_create(
        Reference(paper=paper, position=position, **parts)
        for position, (_line, parts) in enumerate(parsed.references)
    )
    paper_render(paper)
    return paper, created
