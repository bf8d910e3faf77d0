"""APA 7 references: reading them from text, and writing them as HTML."""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.html import format_html

DOI_PREFIX = "https://doi.org/"
_HEAD = re.compile(r"^(?P<authors>.+?)\s\((?P<year>\d{4}[a-z]?|n\.d\.)\)\.\s+(?P<rest>.+)$")
_LINK = re.compile(r"\s+(?P<link>https?://\S+?)\.?$")
_ARTICLE = re.compile(
    r"^(?P<title>.+[.?!])\s+(?P<container>[^.]+?),\s*(?P<volume>\d+)"
    r"(?:\((?P<issue>[^)]+)\))?(?:,\s*(?P<pages>[^,]+?))?\.?$"
)
_BOOK = re.compile(r"^(?P<title>.+?[.?!])(?:\s+(?P<container>.+?))?\.?$")


class ReferenceSyntaxError(ValueError):
    pass


def fold(name):
    """Compare names without case or accents: "Niela-Vilén" matches "niela-vilen"."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


@dataclass(frozen=True)
class Author:
    """One name of a reference's author list: a person's surname and initials, or a group."""

    name: str
    initials: str = ""  # as written, e.g. "J. A."; empty for a group


_INITIAL = re.compile(r"([^\W\d_]{1,2})\.[\s\-\u2010]*")  # "J.", "Th.", "H.-"
_NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
_EDITOR = re.compile(r"\s*\((?:eds?|trans|comp|dir)\.\)", re.IGNORECASE)
_ELLIPSIS = re.compile(r"\.\s?\.\s?\.|\u2026")  # APA's "..." before the last of 21+ authors


def _is_initials(token):
    """'J.', 'J. A.', 'H.-L.', 'Å.' (or bell hooks' 'b.'): letters with full stops, nothing else."""
    at = 0
    for match in _INITIAL.finditer(token):
        if match.start() != at or not (match[1][0].isupper() or len(match[1]) == 1):
            return False
        at = match.end()
    return 0 < at == len(token) and token.rstrip(".").casefold() not in _NAME_SUFFIXES


def authors_of(authors):
    """The names in an APA author list, in order.

    "Mercieca, B., & Kelly, N." gives Mercieca (B.) and Kelly (N.); "Jr." and the like are
    dropped. A list without any initials is one group author, commas and all: "National
    Academies of Sciences, Engineering, and Medicine." is a single name.
    """
    text = _EDITOR.sub("", _ELLIPSIS.sub(",", " ".join(authors.split())))
    text = re.sub(r"\.+$", ".", text)
    tokens = [re.sub(r"^and\s+", "", t.strip()) for t in re.split(r"[,&]", text)]
    tokens = [t for t in tokens if t]
    if not any(_is_initials(t) for t in tokens):
        return [Author(text.strip().rstrip(".").strip())]
    names = []
    for token in tokens:
        if _is_initials(token) and names and not names[-1].initials:
            names[-1] = Author(names[-1].name, token)
        elif token.rstrip(".").casefold() not in _NAME_SUFFIXES:
            names.append(Author(token))
    return names


def surnames(authors):
    """Surnames in an APA author list: "Mercieca, B., & Kelly, N." gives Mercieca, Kelly."""
    return [a.name for a in authors_of(authors) if a.name] or [authors.strip()]


def parse_reference(text):
    """The parts of one APA reference, as keyword arguments for a Reference."""
    text = " ".join(text.split())
    head = _HEAD.match(text)
    if not head:
        raise ReferenceSyntaxError(
            "expected an APA reference such as 'Surname, A. (2020). Title. Journal, 1(2), 3-4.'"
        )
    parts = {"authors": head["authors"], "year": head["year"], "doi": "", "url": ""}
    rest = head["rest"]
    link = _LINK.search(rest)
    if link:
        rest = rest[: link.start()]
        address = link["link"]
        if address.startswith(DOI_PREFIX):
            parts["doi"] = address[len(DOI_PREFIX) :]
        else:
            parts["url"] = address
    match = _ARTICLE.match(rest) or _BOOK.match(rest)
    if not match:
        raise ReferenceSyntaxError("expected a title ending in a full stop after the year")
    found = match.groupdict()
    parts["title"] = found["title"].rstrip(".")
    for field in ("container", "volume", "issue", "pages"):
        parts[field] = (found.get(field) or "").strip()
    return parts


def reference_html(reference):
    """The reference in APA 7 style, with its DOI (or URL) as a link."""
    title = reference.title
    if not title.endswith(("?", "!")):
        title += "."
    if reference.container and reference.volume:
        source = format_html(
            " <i>{}</i>, <i>{}</i>{}{}.",
            reference.container,
            reference.volume,
            format_html("({})", reference.issue) if reference.issue else "",
            format_html(", {}", reference.pages) if reference.pages else "",
        )
        title_html = format_html("{}", title)
    elif reference.container:
        source = format_html(" {}.", reference.container)
        title_html = format_html("<i>{}</i>", title)
    else:
        source = ""
        title_html = format_html("<i>{}</i>", title)
    address = DOI_PREFIX + reference.doi if reference.doi else reference.url
    link = format_html(' <a href="{0}">{0}</a>', address) if address else ""
    return format_html(
        "{} ({}). {}{}{}", reference.authors, reference.year, title_html, source, link
    )
