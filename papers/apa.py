"""APA 7 references: reading them from text, and writing them as HTML."""

import re
from dataclasses import dataclass

from django.utils.html import format_html

DOI_PREFIX = "https://doi.org/"

# APA 7's date element (the parentheses after the authors), as a reference list writes it.
# `year` is the part an in-text citation repeats; `detail` the month, day or season after it.
_MONTH = "January|February|March|April|May|June|July|August|September|October|November|December"
_SEASON = "Spring|Summer|Fall|Autumn|Winter"
_DASH = "[\u2013-]"  # APA writes ranges with an en dash; a hyphen is read the same
_DETAIL = (  # March, March 3, March 3-5, March 30-April 2 (en dashes); Spring, Fall/Winter
    rf"(?:{_MONTH})(?:\s\d{{1,2}}(?:\s?{_DASH}\s?(?:(?:{_MONTH})\s)?\d{{1,2}})?)?"
    rf"|(?:{_SEASON})(?:/(?:{_SEASON}))?"
)
_DATE = (
    rf"(?P<year>(?:\d{{4}}/)?\d{{4}}[a-z]?)(?:,\s(?P<detail>{_DETAIL}))?"  # 2020a, March 3
    rf"|(?P<other>\d{{4}}{_DASH}\d{{4}}"  # 2019-2020 (en dash)
    r"|n\.\s?d\.(?:-[a-z])?"  # n.d., n.d.-a
    r"|[Ii]n\spress(?:-[a-z])?)"  # in press, in press-a
)
_HEAD = re.compile(rf"^(?P<authors>.+?)\s\((?:{_DATE})\)\.\s+(?P<rest>.+)$")
# A republished work: "(2004). Title. Publisher. (Original work published 1923)".
_ORIGINAL = re.compile(r"\s*\(Original work published (?P<year>\d{4})\)\.?$", re.IGNORECASE)
_REPUBLISHED = re.compile(r"(?P<original>\d{4})/(?P<year>\d{4}[a-z]?)")
_LINK = re.compile(r"\s+(?P<link>https?://\S+?)\.?$")
_ARTICLE = re.compile(
    r"^(?P<title>.+[.?!])\s+(?P<container>[^.]+?),\s*(?P<volume>\d+)"
    r"(?:\((?P<issue>[^)]+)\))?(?:,\s*(?P<pages>[^,]+?))?\.?$"
)
_BOOK = re.compile(r"^(?P<title>.+?[.?!])(?:\s+(?P<container>.+?))?\.?$")


class ReferenceSyntaxError(ValueError):
    pass


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
    """The parts of one APA reference, as keyword arguments for a Reference.

    The year is kept as an in-text citation writes it: "2020", "2020a", "n.d.", "n.d.-a",
    "in press", "in press-b", a range of years, and "1923/2004" for a work first published in 1923
    and republished in 2004 (written "(2004). ... (Original work published 1923)" in APA 7, or
    "(1923/2004)"). A month, day or season after the year ("2020, March 3", "2020a, Spring",
    "2020, April 16" with a range of days) is kept apart, in date_detail.
    """
    text = " ".join(text.split())
    head = _HEAD.match(text)
    if not head:
        raise ReferenceSyntaxError(
            "expected an APA reference such as 'Surname, A. (2020). Title. Journal, 1(2), 3-4.'"
            " (dates: 2020, 2020a, 2020, March 3, 2020, Spring, 2019–2020, n.d., n.d.-a,"
            " in press, in press-a)"
        )
    year = head["year"] or head["other"]
    parts = {
        "authors": head["authors"],
        "year": year,
        "date_detail": head["detail"] or "",
        "doi": "",
        "url": "",
    }
    rest = head["rest"]
    original = _ORIGINAL.search(rest)
    if original:
        rest = rest[: original.start()]
        parts["year"] = _republished(year, original["year"])
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


def _republished(year, original):
    """The year a citation gives a republished work: "1923/2004"."""
    if not re.fullmatch(r"\d{4}[a-z]?", year):
        republished = _REPUBLISHED.fullmatch(year)
        if republished and republished["original"] == original:
            return year  # "(1923/2004). ... (Original work published 1923)": said twice
        raise ReferenceSyntaxError(
            f"'(Original work published {original})' needs the year the work was republished "
            f"in, such as (2004), not ({year})"
        )
    return f"{original}/{year}"


def _date(reference):
    """The date element as APA 7 writes it, and the year of first publication (or "")."""
    year, original = reference.year, ""
    if republished := _REPUBLISHED.fullmatch(year):
        year, original = republished["year"], republished["original"]
    detail = reference.date_detail
    return (f"{year}, {detail}" if detail else year), original


def reference_html(reference):
    """The reference in APA 7 style, with its DOI (or URL) as a link; one an import could not
    read is shown as written."""
    if reference.text:
        return format_html("{}", reference.text)
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
    date, original = _date(reference)
    # APA 7 dates a republished work by its republication and ends with its first one.
    note = format_html(" (Original work published {})", original) if original else ""
    return format_html("{} ({}). {}{}{}{}", reference.authors, date, title_html, source, link, note)
