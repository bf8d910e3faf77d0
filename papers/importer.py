"""Importing a paper written as Markdown with front matter (README: Writing a paper as a file).

The front matter is YAML between a '---' line and a '---' (or '...') line, read with PyYAML's
safe loader, as Jekyll, Hugo and Pandoc write it; keys this importer does not read are ignored.
The whole file is read and checked before anything is written; a problem is reported with
its line number and nothing changes. Importing the same file again updates the paper.

Figures (papers.figures) that name a file, `![alt](fig1.png "Caption")`, are read from the
paper's directory when the caller gives it (`manage.py import_paper` does): each file is
checked and encoded anew before anything is written, and kept as the paper's FigureImage of
that name; images the text no longer names are let go. An http(s) address stays a link.
"""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from common.images import NotAnImage, reencoded_image
from common.names import clean_name

from .accounts import author_person
from .apa import ReferenceSyntaxError, parse_reference
from .figures import figure_addresses, figure_image_keep, figure_name, is_web_address
from .models import Authorship, Edition, Paper, Person, Reference, Section, Stream
from .services import paper_render

REQUIRED_KEYS = ("title", "authors", "edition", "stream", "thesis", "date")
OPTIONAL_KEYS = ("slug", "abstract", "status", "comments")
# Other names for the same thing, as Pandoc, Hugo and Jekyll write them: `author` for
# `authors`; `draft: true` (Hugo) and `published: false` (Jekyll) for `status: draft`.
ALIASES = {"author": "authors", "draft": "status", "published": "status"}
TEXT_KEYS = ("title", "edition", "stream", "thesis", "abstract", "slug")
KNOWN_KEYS = (*REQUIRED_KEYS, *OPTIONAL_KEYS, *ALIASES)
BIBLIOGRAPHY_HEADINGS = {"bibliography", "references"}
STR_TAG, NULL_TAG, BOOL_TAG = (f"tag:yaml.org,2002:{name}" for name in ("str", "null", "bool"))
FRONT_MATTER_ENDS = ("---", "...")  # Pandoc also closes a YAML block with '...'
# YYYY-MM-DD, then perhaps a time and a zone, as Jekyll ("2026-04-21 10:00:00 +0200") and
# Hugo ("2026-04-21T10:00:00+02:00") write them; only the date is kept.
DATE_TEXT = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[Tt ] *\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: *(?:Z|[+-]\d{2}(?::?\d{2})?))?)?"
)
YAML_HINTS = {
    "mapping values are not allowed here": "put quotes around a value that contains ': '",
    "found character '\\t' that cannot start any token": "indent with spaces, not tabs",
}


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


class _SafeLoader(yaml.SafeLoader):
    """PyYAML's safe loader (no Python object tags), where a date that does not exist
    (2026-02-30) stays text rather than failing without a line: a key this importer ignores
    may hold it, and `date` reports it with its line."""


def _timestamp_or_text(loader, node):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return node.value


_SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def _line(node):
    """The file's line of a node of the front matter, which starts on the file's line 2."""
    return node.start_mark.line + 2


def _yaml_problem(error, block):
    if isinstance(error, yaml.reader.ReaderError):  # a control character, before any parsing
        line = 2 + block.count("\n", 0, error.position)
        return ImportProblem(
            line, f"the front matter has a character YAML does not allow (#x{error.character:04X})"
        )
    mark = error.problem_mark or error.context_mark
    if mark is None:
        return ImportProblem(2, f"the front matter is not valid YAML: {error}")
    problem = (error.problem or error.context or "unreadable").replace(
        "end of stream", "end of the front matter"
    )
    message = f"the front matter is not valid YAML (column {mark.column + 1}): {problem}"
    context = error.context_mark
    if error.context and error.problem and context and context.line != mark.line:
        message += f" {error.context} that starts on line {context.line + 2}"
    if hint := YAML_HINTS.get(error.problem):
        message += f"; {hint}"
    return ImportProblem(mark.line + 2, message)


def _load(block):
    """The top node of the front matter (None when empty), its own pairs and its data."""
    try:
        loader = _SafeLoader(block)
    except yaml.YAMLError as error:
        raise _yaml_problem(error, block) from None
    try:
        node = loader.get_single_node()
        own = list(node.value) if isinstance(node, yaml.MappingNode) else []
        # Builds the data as yaml.safe_load does; merge keys (<<) are folded into node.value.
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        raise _yaml_problem(error, block) from None
    except RecursionError:
        raise ImportProblem(2, "the front matter is nested too deeply") from None
    finally:
        loader.dispose()
    return node, own, data


def _kind(node):
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "a set of 'key: value' pairs"
    return repr(node.value)


def _text(node, key, line):
    """A scalar's text as written, so `title: No` stays 'No' and `edition: 2026` '2026'.

    None for an empty value (or null, ~); a list or mapping is refused, naming the key.
    """
    if not isinstance(node, yaml.ScalarNode):
        raise ImportProblem(line, f"{key} must be text, not {_kind(node)}")
    if node.tag == NULL_TAG:
        return None
    return node.value.strip() or None


def _is_key(node, name):
    return isinstance(node, yaml.ScalarNode) and node.value.strip().lower() == name


def _one_line(text):
    return " ".join(text.split()) if text else text


def _authors(node, key, line):
    """[(line, name, email)]: from 'A; B', a list of names, or a list of mappings with a
    `name` and perhaps an `email` (the address of the author's account; "" when none).

    Names are stored as common.names.clean_name makes them: without invisible characters
    (bidirectional controls, zero-width characters), single spaces, NFC."""
    if isinstance(node, yaml.ScalarNode):
        text = _text(node, key, line) or ""
        cleaned = (clean_name(name) for name in text.split(";"))
        return [(line, name, "") for name in cleaned if name]
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    authors = []
    for item in items:
        at = _line(item)
        name, email = item, ""
        if isinstance(item, yaml.MappingNode):  # Pandoc: - name: ..., affiliation: ...
            names = [v for k, v in item.value if _is_key(k, "name")]
            if not names:
                raise ImportProblem(at, f"an author in {key} has no 'name'")
            name = names[-1]
            emails = [v for k, v in item.value if _is_key(k, "email")]
            email = _email(emails[-1], key, _line(emails[-1])) if emails else ""
        if not isinstance(name, yaml.ScalarNode):
            raise ImportProblem(at, f"an author's name in {key} must be text, not {_kind(name)}")
        text = clean_name(_text(name, key, at) or "")
        if not text:
            raise ImportProblem(at, f"an author in {key} has an empty name")
        authors.append((at, text, email))
    return authors


def _email(node, key, line):
    """An author's e-mail address, checked as a user account's would be; "" when empty."""
    email = _text(node, f"an author's email in {key}", line) or ""
    limit = get_user_model()._meta.get_field("email").max_length
    if len(email) > limit:
        raise ImportProblem(line, f"an author's email is {len(email)} characters; at most {limit}")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ImportProblem(line, f"{email!r} is not an e-mail address") from None
    return email


def _date(node, value, line):
    if isinstance(value, datetime.datetime):  # the day as written, whatever the zone
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and (match := DATE_TEXT.fullmatch(value.strip())):
        try:
            return datetime.date(*map(int, match.groups()))
        except ValueError:
            raise ImportProblem(
                line, f"date {value.strip()!r} is not a day of the calendar (YYYY-MM-DD)"
            ) from None
    raise ImportProblem(line, f"the date must be written YYYY-MM-DD, not {_kind(node)}")


def _status(key, node, value, line):
    if key == "status":
        text = _text(node, key, line)
        if text is None:
            return None
        if text.lower() not in Paper.Status.values:
            raise ImportProblem(line, "status must be 'published' or 'draft'")
        return text.lower()
    if not isinstance(value, bool):
        raise ImportProblem(line, f"{key} must be true or false, not {_kind(node)}")
    draft = value if key == "draft" else not value
    return Paper.Status.DRAFT if draft else Paper.Status.PUBLISHED


def _comments(node, value, line):
    if isinstance(value, bool):
        return value
    text = _text(node, "comments", line)
    if text is None:
        return None
    if text.lower() not in ("open", "closed"):
        raise ImportProblem(line, "comments must be 'open' or 'closed' (or true or false)")
    return text.lower() == "open"


def _key(key_node, value_node):
    """The key this importer reads, in lower case, or None for any other key.

    `published` counts only as Jekyll's true/false flag; other tools put a date there.
    """
    if isinstance(key_node, yaml.ScalarNode) and key_node.tag == STR_TAG:
        key = key_node.value.strip().lower()
        if key in KNOWN_KEYS and (key != "published" or value_node.tag == BOOL_TAG):
            return key
    return None


def _written(own):
    """{key: (key as written, line)} for this file's own keys (not merged from an anchor).

    A key given twice, or under two of its names, is refused rather than one value silently
    winning.
    """
    written = {}
    for key_node, value_node in own:
        key = _key(key_node, value_node)
        if key is None:
            continue
        canonical = ALIASES.get(key, key)
        if canonical in written:
            earlier, line = written[canonical]
            raise ImportProblem(
                _line(key_node), f"{key!r} repeats {earlier!r} given on line {line}; keep one"
            )
        written[canonical] = (key, _line(key_node))
    return written


def _value(key, value_node, value, line):
    canonical = ALIASES.get(key, key)
    if canonical in TEXT_KEYS:
        text = _text(value_node, key, line)
        return text if canonical in ("thesis", "abstract") else _one_line(text)
    if canonical == "authors":
        return _authors(value_node, key, line)
    if canonical == "date":
        return _date(value_node, value, line)
    if canonical == "status":
        return _status(key, value_node, value, line)
    return _comments(value_node, value, line)


def _meta(node, own, data):
    """The front matter's values, checked, and the line of each key; the first problem by
    line is raised."""
    written = _written(own)
    found = {}  # merged keys come first in node.value, so the file's own keys win
    for key_node, value_node in node.value:
        if key := _key(key_node, value_node):
            found[ALIASES.get(key, key)] = (key, value_node, data[key_node.value])
    meta, lines, problems = {}, {}, []
    for canonical, (key, value_node, value) in found.items():
        line = written.get(canonical, (key, _line(value_node)))[1]
        try:
            value = _value(key, value_node, value, line)
        except ImportProblem as problem:
            problems.append(problem)
            continue
        if value not in (None, []):
            meta[canonical], lines[canonical] = value, line
    if problems:
        raise min(problems, key=lambda problem: problem.line)
    seen = set()  # names, and e-mail addresses (one address is one author's account)
    for line, name, email in meta.get("authors", []):
        for written in filter(None, (name, email)):
            if written.casefold() in seen:
                raise ImportProblem(line, f"{written!r} is listed twice among the authors")
            seen.add(written.casefold())
    return meta, lines


def _front_matter(lines):
    """(meta, meta_lines, number of the closing line) from the YAML between the '---' lines."""
    if not lines or lines[0].strip() != "---":
        raise ImportProblem(1, "the file must start with a '---' line opening the front matter")
    ends = (n for n, line in enumerate(lines[1:], start=2) if line.rstrip() in FRONT_MATTER_ENDS)
    end = next(ends, None)
    if end is None:
        heading = next((n for n, line in enumerate(lines, 1) if re.match(r"##\s", line)), None)
        if heading:
            raise ImportProblem(
                heading,
                "the front matter is never closed with a '---' line before the first '## ' heading",
            )
        raise ImportProblem(len(lines), "the front matter is never closed with a '---' line")
    node, own, data = _load("\n".join(lines[1 : end - 1]) + "\n")
    if node is None:
        node = yaml.MappingNode("tag:yaml.org,2002:map", [])
    if not isinstance(node, yaml.MappingNode):
        raise ImportProblem(
            _line(node), f"the front matter must be 'key: value' lines, not {_kind(node)}"
        )
    meta, meta_lines = _meta(node, own, data or {})
    missing = [key for key in REQUIRED_KEYS if key not in meta]
    if missing:
        raise ImportProblem(end, f"front matter is missing: {', '.join(missing)}")
    return meta, meta_lines, end


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
    lines = text.removeprefix("\ufeff").splitlines()
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
    published = datetime.datetime.combine(meta["date"], datetime.time(9))
    slug_length = Paper._meta.get_field("slug").max_length
    slug = slugify(meta.get("slug") or meta["title"])[:slug_length].strip("-")
    if not slug:
        raise ImportProblem(at.get("slug", at["title"]), "no usable slug for this paper")
    return {
        "edition": edition,
        "stream": stream,
        "slug": slug,
        "authors": meta["authors"],  # [(line, name, email)]
        "fields": {
            "stream": stream,
            "title": meta["title"],
            "thesis": meta["thesis"],
            "abstract": meta.get("abstract", ""),
            "published_on": timezone.make_aware(published),
            "status": meta.get("status", Paper.Status.PUBLISHED),
            "comments_open": meta.get("comments", True),
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
    for line, name, _ in found["authors"]:
        problems += _overlong(Person(display_name=name), line, "author ")
    for line, heading, body in parsed.sections:
        problems += _overlong(Section(heading=heading, body=body), line, "section ")
    for line, parts in parsed.references:
        problems += _overlong(Reference(**parts), line, "reference ")
    if problems:
        raise min(problems, key=lambda problem: problem.line)


def _paragraphs(body, first_line):
    """[(line, text)] of the body's blocks between blank lines."""
    blocks, lines, start = [], [], first_line
    for number, line in enumerate([*body.splitlines(), ""], start=first_line):
        if line.strip():
            lines.append(line)
            continue
        if lines:
            blocks.append((start, "\n".join(lines)))
        lines, start = [], number + 1
    return blocks


def _figures(parsed, text):
    """[(line, address)] of the sections' figures, in order, as the page will find them.

    A figure's line is that of the first block (between blank lines) that alone holds it;
    the section's heading when none does (a figure inside a longer block)."""
    lines, figures = text.removeprefix("\ufeff").splitlines(), []
    for heading_line, _heading, body in parsed.sections:
        addresses = figure_addresses(body)
        if not addresses:
            continue
        first = heading_line + 1
        while not lines[first - 1].strip():  # the body was stripped of its blank lines
            first += 1
        blocks = iter(_paragraphs(body, first))
        line, held = heading_line, []
        for address in addresses:
            while address not in held:
                block = next(blocks, None)
                if block is None:
                    held, line = [address], heading_line
                    break
                line, held = block[0], figure_addresses(block[1])
            held.remove(address)
            figures.append((line, address))
    return figures


def _figure_file(directory, name, line):
    """The encoded image of the file a figure names, next to the paper; ImportProblem for a
    path leaving the directory, a missing file, or one that is not an image this site keeps."""
    if ":" in name.split("/")[0] or name.startswith(("/", "\\")) or Path(name).is_absolute():
        raise ImportProblem(
            line,
            f"figure {name!r} is neither a file next to the paper (a relative path) nor an "
            "http(s) address",
        )
    base = directory.resolve()
    try:
        path = (base / name).resolve()
        inside, is_file = path.is_relative_to(base), path.is_file()
    except (OSError, ValueError):
        inside, is_file = True, False
    if not inside:
        raise ImportProblem(line, f"figure file {name!r} is outside the paper's directory")
    if not is_file:
        raise ImportProblem(line, f"figure file {name!r} is not found next to the paper")
    try:
        with path.open("rb") as file:  # one byte more than allowed: too large to read on
            data = file.read(settings.COLLOQUY_IMAGE_MAX_BYTES + 1)
        return reencoded_image(data)
    except OSError as error:
        raise ImportProblem(
            line, f"figure file {name!r} cannot be read: {error.strerror}"
        ) from None
    except NotAnImage as error:
        raise ImportProblem(line, f"figure file {name!r} cannot be used: {error}") from None


def _figure_images(parsed, text, directory):
    """({name: encoded image} of the files the figures name, every name the figures give),
    each file read and checked; raises ImportProblem before any write."""
    images, names = {}, set()
    for line, address in _figures(parsed, text):
        name = figure_name(address)
        names.add(name)
        if not is_web_address(address) and name not in images:
            images[name] = _figure_file(directory, name, line)
    return images, names


def _target(parsed, found, paper):
    """The paper to write: the one given (its edition and slug may change, onto no other
    paper's), else the edition's paper of that slug, else a new one."""
    same_address = Paper.objects.filter(edition=found["edition"], slug=found["slug"])
    if paper is None:
        return same_address.select_for_update().first() or Paper()
    if same_address.exclude(pk=paper.pk).exists():
        at = parsed.meta_lines
        raise ImportProblem(
            at.get("slug", at["title"]),
            f"{found['edition']} has another paper at the slug {found['slug']!r}; choose another",
        )
    return paper


@transaction.atomic
def import_paper(text, *, directory=None, paper=None):
    """Create or update the paper the text describes; returns (paper, created).

    directory: where the figures' files are (the paper file's directory); None: figures are
    not read, and the paper's stored images are left as they are.
    paper: the paper to update whatever its title and slug (the admin's Markdown page), or a
    new Paper() to make one that takes no other paper's slug; None: the paper of the text's
    edition and slug, made when there is none. A date that is the paper's day already keeps
    the paper's time of day."""
    parsed = parse_paper(text)
    found = _resolve(parsed)
    _check_lengths(parsed, found)
    paper = _target(parsed, found, paper)
    if directory is not None:
        images, names = _figure_images(parsed, text, Path(directory))
    created, fields = paper._state.adding, found["fields"]
    if not created and timezone.localdate(paper.published_on) == fields["published_on"].date():
        fields = {**fields, "published_on": paper.published_on}
    paper.edition, paper.slug = found["edition"], found["slug"]
    for name, value in fields.items():
        setattr(paper, name, value)
    paper.save()
    paper.authorships.all().delete()
    Authorship.objects.bulk_create(
        Authorship(paper=paper, person=author_person(name, email=email), position=position)
        for position, (_line, name, email) in enumerate(found["authors"])
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
    if directory is not None:
        for name, encoded in images.items():
            figure_image_keep(paper, name, encoded)
        paper.figure_images.exclude(name__in=names).delete()
    paper_render(paper)
    return paper, created
