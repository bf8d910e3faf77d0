"""In-text citations: finding them in a section's Markdown and linking them to the bibliography.

The reader follows APA 7's in-text rules. Each cited work is linked to its own reference entry;
the author, year and locator are linked, a prefix or a comment is not:

- parenthetical "(Tan, 2021)" and narrative "Tan (2021)", "Tan's (2021) study",
  "Niela-Vilén et al. argue ... (2014, pp. 1534-1535)": a narrative year belongs to the
  reference of that year whose author the paragraph names last before the parentheses;
- one author, two ("&" or "and"), three or more ("et al.", or as many names as needed to tell
  works apart: "Kim, Park, et al."), or every name written out;
- group authors, whose names may hold lowercase words ("Department of Health and Social
  Care") or commas; an abbreviation introduced as "(National Institute of Mental Health
  [NIMH], 2020)", "National Institute of Mental Health (NIMH, 2020)" or "... Health (NIMH)"
  stands for the group afterwards, in the same paper; a group's initials ("WHO") are
  understood without an introduction unless they could mean two groups;
- works without an author, cited by the start of their title in quotation marks or italics:
  ("Sleep and Tides," 2019), (*Harbour Lights*, 2018);
- several works in one parentheses separated by semicolons, and several years for the same
  authors: "(Tan, n.d., 2018, 2020a, 2020b, in press)", "Tan (2019, 2020)";
- years "2020", "2020a", "n.d.", "n.d.-a", "in press", "in press-b", and "1900/2010" for a
  republished work (matching a reference dated "1900/2010" or "2010");
- a prefix before a work ("e.g.,", "see", "see also", "cf.", "i.e.,", "for example" or any
  other lowercase words) and a comment after it ("for a review");
- locators: p., pp., para., paras., chap., sect., Table 2, Figure 1, "Method section",
  time stamps, page ranges with hyphens or en dashes; "pp. 12, 15" is one locator;
- authors who share a surname, told apart by initials: "(J. Smith, 2020; R. Smith, 2020)";
- surnames with particles, hyphens, apostrophes and accents (van der Berg, de la Cruz,
  Niela-Vilén, O'Brien), compared without case or accents;
- a secondary source: "(Rabbitt, 1982, as cited in Lyon, 2014)" links only Lyon, 2014; the
  original work is not in the reference list and is not reported, nor is a narrative year
  followed in its sentence by "as cited in";
- personal communications "(T. Nguyen, personal communication, May 2, 2020)" have no reference
  and are neither linked nor reported;
- the rare narrative form without parentheses, "In 2020, Tan and Lee showed ...", links the
  year when the name right after it is an author of that year; it is never reported.

Decisions where APA leaves the reader to judge:

- A name is matched as a reader would: first exactly as APA writes that reference's authors,
  then, failing that, by the first author's surname alone ("(Tan, 2021)" for "Tan & Lee,
  2021"). A citation that fits several references equally well ("(Tan, 2020)" when the list
  has Tan 2020a and 2020b, "(Smith, 2020)" for J. and R. Smith, "(Kim et al., 2020)" for two
  Kim, Park, ... works, "(APA, 2020)" for two groups with those initials) is linked to none
  and reported: the writer has to say which.
- "(Smith, 2020a, b)" is not APA (every year is written in full): the "b" is reported.
- Parentheses are a citation only when a part of them is a year, or a name (capitalised words,
  lowercase particles and joining words) followed by a year. "(see Table 2)", "(in 2020)",
  "(2019 was a good year)", "(1990-2000)", "(Phase 2, 2019)", "(n = 40)", "(COVID-19)" and
  "(e.g., 2018)" with no author named are prose, never reported. "(Spring, 2020)" has the shape
  of a citation and is reported when no reference matches.
- A lone year "(2021)" is a narrative citation. Its author is the one named right before it
  when the text there is a name ("... Rutter (2021)"), else the one of that year named last in
  the paragraph; with none, it is reported.
- After a plural locator ("pp. 1534, 1540") a bare number continues it, even a four-digit one.
- Parentheses inside `code` are not read.
"""

import re
from dataclasses import dataclass
from functools import cache

from django.utils.html import escape

from common.folding import fold
from common.names import PARTICLES

from .apa import authors_of

_YEAR = re.compile(r"(?:\d{4}/)?\d{4}[a-z]?|n\.\s?d\.(?:-[a-z])?|in press(?:-[a-z])?", re.I)
# A span of years ("2019-2020") is a year only where a reference is dated so; elsewhere it is
# prose ("(1990-2000)").
_YEAR_SPAN = re.compile(r"\d{4}\s*[\u2013-]\s*\d{4}")
_LOCATOR = re.compile(
    r"(?:pp?|paras?|chaps?|ch|sects?|figs?|vols?|no|ll?|nn?|vv?|col)\.\s*\S"
    r"|(?:pages?|paragraphs?|chapters?|sections?|tables?|figures?|slides?|lines?|appendix"
    r"|part|book|volume|verses?|abstract|footnote|note|column|timestamp)\b"
    r"|[\w\s]+ section$"
    r"|\d[\d:.\u2013\u2014-]*$",
    re.I,
)
_PLURAL_LOCATOR = re.compile(r"(?:pp|paras|chaps|sects|ll|vv)\.", re.I)
_PAGE_NUMBERS = re.compile(r"\d+(?:\s*[\u2013\u2014-]\s*\d+)?")
_PARENTHESES = re.compile(r"\(([^()]*)\)")
_ABBREVIATION = re.compile(r"[A-Z][A-Za-z&]*[A-Z]")  # NIMH, WHO, DoH
_DEFINED = re.compile(r"\s*\[([^\[\]]+)\]\s*$")  # "... Health [NIMH]"
_SECONDARY = re.compile(r"\bas cited in\b\s*", re.I)
_PERSONAL = re.compile(r"\bpersonal communication\b", re.I)
_IN_YEAR = re.compile(r"\b[Ii]n (\d{4}[a-z]?), (?:the )?")
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z]|\s*$)")
_INITIALS = r"(?:[^\W\d_]{1,2}\.[\s\-\u2010]*)+"  # "J. ", "M. J. ", "H.-L. ", "Th. "
_LEADING_INITIALS = re.compile(rf"^({_INITIALS})(?=\S)")
_TRAILING_INITIALS = re.compile(rf"(?<!\w)({_INITIALS})$")
_CODE = re.compile(r"(`+).*?\1", re.S)
_QUOTES = '"“”*_'
_PREFIX = re.compile(r"[a-z][a-z.,\s]*")  # "e.g.,", "see also", "cf."
# Lowercase words that belong to a name: particles ("van der Berg") and the joining words of
# group names and author lists ("Department of Health and Social Care", "Tan et al.").
_NAME_WORDS = PARTICLES | {"of", "and", "for", "the", "on", "in", "at", "to", "a", "an", "y"}
_NAME_WORDS |= {"und", "für", "&", "et", "al."}


@dataclass(frozen=True)
class Citation:
    text: str  # the words linked: author (for the first work of a parenthetical), year, locator
    label: str  # how a report names it, e.g. "Tan, 2020b" for the 2020b of "(Tan, 2019, 2020b)"
    year: str
    narrative: bool


# Comparing names, titles and years


def author_key(text):
    """A name list as compared: folded, "and" as "&", no full stops, commas only between names."""
    text = re.sub(r"\band\b", "&", fold(text).replace("’", "'")).replace(".", "")
    text = re.sub(r",?\s*&\s*", " & ", text)
    text = re.sub(r",?\s*\bet al\b", " et al", text)
    return " ".join(re.sub(r"\s*,\s*", ", ", text).split()).strip(" ,")


def _apa_keys(names):
    """Every way APA lets a citation write these authors (keys as made by author_key)."""
    first, *others = names
    if not others:
        return {first}
    if len(names) == 2:
        return {f"{first} & {others[0]}"}
    keys = {", ".join(names[:n]) + " et al" for n in range(1, len(names))}
    return keys | {", ".join(names[:-1]) + " & " + names[-1]}


def _title_words(text):
    return tuple(w for w in re.split(r"[\W_]+", fold(text)) if w)


@cache
def _year_key(year):
    return "".join(fold(year).replace("\u2013", "-").split())


def _same_year(reference_year, cited_year):
    ours, cited = _year_key(reference_year), _year_key(cited_year)
    return cited in (ours, ours.rpartition("/")[2]) or ours == cited.rpartition("/")[2]


def _initial_letters(initials):
    return "".join(piece[0] for piece in re.findall(r"[^\W\d_]+", initials)).casefold()


def _capitals(match):
    return bool(match) and all(p[0].isupper() for p in re.findall(r"[^\W\d_]+", match[1]))


def _split_initials(name):
    """("J. A.", "Smith") for "J. A. Smith"; ("", name) without initials."""
    match = _LEADING_INITIALS.match(name)
    return (match[1].strip(), name[match.end() :]) if _capitals(match) else ("", name)


def _initials_before(text):
    """The initials text ends with ("... M. J. " gives "M. J."), or ""."""
    match = _TRAILING_INITIALS.search(text)
    return match[1].strip() if _capitals(match) else ""


def _starts_with_name(text, key):
    """Whether text begins with the name key, as whole words (a possessive "'s" may follow)."""
    return text.startswith(key) and (len(text) == len(key) or text[len(key)] in " '’")


def _fold_in_place(text):
    """fold() letter by letter, so that a position in the result is the same in text."""
    return text.lower() if text.isascii() else "".join(_fold_letter(c) for c in text)


@cache
def _fold_letter(letter):
    folded = fold(letter.replace("’", "'"))
    return folded if len(folded) == 1 else letter.lower()


def _whole_word(word):
    return re.compile(rf"(?<!\w){re.escape(word)}(?!\w)" if word else "(?!)")


def _last_match(pattern, text):
    starts = [match.start() for match in pattern.finditer(text)]
    return starts[-1] if starts else -1


class CitationIndex:
    """The references of one paper, looked up the way a reader matches a citation.

    It remembers the group abbreviations a paper introduces, so one index should read the
    sections in order. A reference kept as written (not read as APA) is never matched.
    """

    def __init__(self, references):
        self.references = [ref for ref in references if not getattr(ref, "text", "")]
        self.abbreviations = {}  # "NIMH" -> the group's key, as introduced in the text
        self._authors, self._keys, self._by_key, self._by_first = {}, {}, {}, {}
        self._initialisms, self._mention, self._titles = {}, {}, {}
        for ref in self.references:
            authors = authors_of(ref.authors)
            names = [author_key(a.name) for a in authors]
            self._authors[id(ref)] = authors
            self._titles[id(ref)] = (_title_words(ref.title), _title_words(ref.authors))
            self._keys[id(ref)] = _apa_keys(names)
            for key in self._keys[id(ref)]:
                self._by_key.setdefault(key, []).append(ref)
            self._by_first.setdefault(names[0].split(",")[0], []).append(ref)
            self._mention[id(ref)] = _whole_word(_fold_in_place(authors[0].name))
            if len(authors) == 1 and not authors[0].initials:
                initials = "".join(w[0] for w in authors[0].name.split() if w[0].isupper())
                if len(initials) > 1:
                    self._initialisms.setdefault(initials, set()).add(names[0])

    def is_year(self, text):
        """Whether text is a year as citations write it (a span only if a reference has it)."""
        if _YEAR.fullmatch(text):
            return True
        return bool(_YEAR_SPAN.fullmatch(text)) and any(
            _same_year(ref.year, text) for ref in self.references
        )

    # Parenthetical citations: the name is written out

    def named(self, name, year=None, *, loosely=False):
        """References the cited name (and year, if given) can stand for."""
        initials, name = _split_initials(name.strip())
        if name and name[0] in _QUOTES:
            found = self._titled(_title_words(name))
        elif loosely:
            key = author_key(name)
            found = self._by_first.get(re.split(r", | & | et al", key)[0], [])
        else:
            keys = {author_key(name)} | self._abbreviated(name.strip())
            found = [ref for key in keys for ref in self._by_key.get(key, ())]
        if initials:
            letters = _initial_letters(initials)
            found = [r for r in found if self._first_initials(r).startswith(letters)]
        if year is not None:
            found = [ref for ref in found if _same_year(ref.year, year)]
        return list({id(ref): ref for ref in found}.values())

    def match(self, name, year):
        """The one reference a parenthetical "name, year" cites, or None."""
        for loosely in (False, True):
            found = self.named(name, year, loosely=loosely)
            if found:
                return found[0] if len(found) == 1 else None
        return None

    def _abbreviated(self, name):
        if name in self.abbreviations:
            return {self.abbreviations[name]}
        return self._initialisms.get(name, set()) if _ABBREVIATION.fullmatch(name) else set()

    def _titled(self, words):
        """References whose title (or, for a work without author, author) starts with words."""
        n = len(words)
        titled = [
            ref for ref in self.references if any(t[:n] == words for t in self._titles[id(ref)])
        ]
        return titled if words else []

    def _first_initials(self, ref):
        return _initial_letters(self._authors[id(ref)][0].initials)

    def introduce(self, abbreviation, name=None, before=""):
        """Remember an abbreviation for a group: the one named, or the one the text ends with."""
        if name is None:
            tail = " " + author_key(before[-300:])
            names = {key for ref in self.references for key in self._keys[id(ref)]}
            name = max((key for key in names if tail.endswith(" " + key)), key=len, default="")
        if name:
            self.abbreviations[abbreviation] = author_key(name)

    # Narrative citations: the name is in the sentence before the parentheses

    def named_before(self, year, before, folded_before):
        """The reference of that year whose author the text names last, or None.

        When the text ends with a name ("... Rutter (2018)"), that name must be the author's.
        """
        right_before = _ends_with_a_name(before)
        scored = []
        for ref in self.references:
            if not _same_year(ref.year, year):
                continue
            at = self._last_mention(ref, before, folded_before)
            if at < 0 or (right_before and not _looks_like_a_name(before[at:].split())):
                continue
            initials = _initials_before(before[:at])
            if initials and not self._first_initials(ref).startswith(_initial_letters(initials)):
                continue
            scored.append(((at, bool(initials), self._fit(ref, before[at:])), ref))
        return _best(scored)

    def named_after(self, year, after):
        """The reference of that year whose authors the text starts with ("In 2020, Tan ...")."""
        after = _split_initials(after[:300])[1]
        scored = [
            ((fit,), ref)
            for ref in self.references
            if _same_year(ref.year, year) and (fit := self._fit(ref, after))
        ]
        return _best(scored)

    def _fit(self, ref, text):
        """How much of ref's authors text starts with: the longest of their APA forms."""
        tail = author_key(text)
        names = self._keys[id(ref)] | {a.casefold() for a in self._abbreviations_of(ref)}
        return max((len(key) for key in names if _starts_with_name(tail, key)), default=0)

    def _abbreviations_of(self, ref):
        keys = self._keys[id(ref)]
        learned = {a for a, key in self.abbreviations.items() if key in keys}
        initials = {
            a for a, names in self._initialisms.items() if len(names) == 1 and names <= keys
        }
        return learned | (initials - self.abbreviations.keys())

    def _last_mention(self, ref, before, folded_before):
        at = _last_match(self._mention[id(ref)], folded_before)
        for abbreviation in self._abbreviations_of(ref):
            at = max(at, _last_match(_whole_word(abbreviation), before))
        return at


def _ends_with_a_name(text):
    words = text.split()
    last = re.sub(r"['’]s$", "", words[-1].strip("*_[]\"'’“”,")) if words else ""
    return last[:1].isupper() or last in ("al.", "al")


def _best(scored):
    """The reference with the highest score, or None when two share it (ambiguous)."""
    scored.sort(key=lambda pair: pair[0], reverse=True)
    if not scored or (len(scored) > 1 and scored[0][0] == scored[1][0]):
        return None
    return scored[0][1]


# Reading the parentheses


def _chunks(text):
    """(start, end) of each comma-separated piece, trimmed.

    Commas inside quotation marks or italics don't count, but a quoted title's own closing
    comma does: ("Sleep and Tides," 2019) is the title, then the year.
    """
    pieces, start, quoted, italic = [], 0, False, False

    def cut(end, next_start):
        piece = text[start:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            pieces.append((start + lead, start + lead + len(piece.strip())))
        return next_start

    for at, char in enumerate(text):
        if char in '"“”':
            closing = quoted and char in '"”'
            quoted = not closing if char == '"' else char == "“"
            if closing and text[at - 1] == ",":
                start = cut(at + 1, at + 1)
        elif char in "*_":
            italic = not italic
        elif char == "," and not quoted and not italic:
            start = cut(at, at + 1)
    cut(len(text), None)
    return pieces


@dataclass
class _Work:
    year: str
    start: int
    end: int
    malformed: bool = False


def _works(part, chunks, is_year):
    """The years of the part, each stretched over its locators; comments are left out."""
    works, plural, closed = [], False, False
    for start, end in chunks:
        text = part[start:end]
        if works and plural and not closed and _PAGE_NUMBERS.fullmatch(text):
            works[-1].end = end
        elif is_year(text):
            works.append(_Work(text, start, end))
            plural = closed = False
        elif works and re.fullmatch(r"[a-z]", text) and re.search(r"\d[a-z]$", works[-1].year):
            works.append(_Work(text, start, end, malformed=True))  # "2020a, b": not APA
            closed = True
        elif works and not closed and _LOCATOR.match(text):
            works[-1].end = end
            plural = bool(_PLURAL_LOCATOR.match(text))
        else:
            closed = True
    return works


def _looks_like_a_name(words):
    """Capitalised words, particles and joining words ("Department of Health and Social Care")."""
    if words and words[0][:1] in _QUOTES:
        return True
    return (
        any(w[:1].isupper() for w in words)
        and not any(c.isdigit() for w in words for c in w)
        and all(w[:1].isupper() or w.casefold() in _NAME_WORDS for w in words)
    )


def _name_start(index, text):
    """Where the cited name starts in text (after any prefix), or None if text names nobody.

    A reader tries the longest name a reference answers to, exactly and then loosely; a name
    nobody answers to starts after the prefix (lowercase words other than particles).
    """
    starts = [m.start() for m in re.finditer(r"\S+", text)]
    for loosely in (False, True):
        for start in starts:
            if _initials_before(text[:start]):
                continue  # "K. Smyth": the initials are part of the name
            name = _DEFINED.sub("", text[start:])
            if index.named(name, loosely=loosely):
                return start
    words = text.split()
    first = next((i for i, w in enumerate(words) if w[:1].isupper() or w[:1] in _QUOTES), None)
    if first is None:
        return None
    while first > 0 and words[first - 1] in PARTICLES:
        first -= 1
    return starts[first] if _looks_like_a_name(words[first:]) else None


@dataclass
class _Context:
    """The paragraph a parenthesis stands in."""

    paragraph: str
    folded: str
    index: CitationIndex


def _read_part(context, part, offset, before, after):
    """(start, end, citation, reference) of each work cited in one part of a parenthesis."""
    if _PERSONAL.search(part):
        return  # a personal communication has no reference
    if secondary := _SECONDARY.search(part):
        rest = part[secondary.end() :]
        yield from _read_part(context, rest, offset + secondary.end(), before, after)
        return
    chunks = _chunks(part)
    is_year = context.index.is_year
    first_year = next((i for i, (s, e) in enumerate(chunks) if is_year(part[s:e])), None)
    if first_year is None:
        return
    works = _works(part, chunks[first_year:], is_year)
    head = part[: chunks[first_year][0]].rstrip().rstrip(",")
    name_at = _name_start(context.index, head) if head else None
    if name_at is not None:
        yield from _read_parenthetical(context, works, part, name_at, head, offset, before)
    elif not head:
        yield from _read_narrative(context, works, part, offset, before, after)
    elif _PREFIX.fullmatch(head):  # "(e.g., 2018)": linked if an author is named, else prose
        found = _read_narrative(context, works, part, offset, before, after)
        yield from (f for f in found if f[3] is not None)


def _read_parenthetical(context, works, part, name_at, head, offset, before):
    name = head[name_at:]
    if defined := _DEFINED.search(name):
        context.index.introduce(defined[1], name[: defined.start()])
        name = name[: defined.start()]
    elif _ABBREVIATION.fullmatch(name) and not context.index.named(name):
        context.index.introduce(name, before=before)  # "... Nations (FAO, 2020)"
    for n, work in enumerate(works):
        start = name_at if n == 0 else work.start
        text = part[start : work.end]
        label = text if n == 0 else f"{head[name_at:]}, {text}"
        reference = None if work.malformed else context.index.match(name, work.year)
        citation = Citation(text, label, work.year, narrative=False)
        yield offset + start, offset + work.end, citation, reference


def _read_narrative(context, works, part, offset, before, after):
    folded_before = context.folded[: len(before)]
    secondary = _SECONDARY.search(after[: _sentence_end(after)])
    for work in works:
        text = part[work.start : work.end]
        reference = None
        if not work.malformed:
            reference = context.index.named_before(work.year, before, folded_before)
        if reference is None and secondary:
            continue  # "Rutter (2006) ... (as cited in Hunt, 2010)": not in the references
        citation = Citation(text, text, work.year, narrative=True)
        yield offset + work.start, offset + work.end, citation, reference


def _sentence_end(text):
    end = _SENTENCE_END.search(text)
    return end.end() if end else len(text)


def _in_parentheses(context):
    paragraph = context.paragraph
    code = [match.span() for match in _CODE.finditer(paragraph)]
    for group in _PARENTHESES.finditer(paragraph):
        if any(start <= group.start() < end for start, end in code):
            continue  # `(Tan, 2021)` in code is not a citation
        content, before, after = group[1], paragraph[: group.start()], paragraph[group.end() :]
        if _ABBREVIATION.fullmatch(content.strip()):
            context.index.introduce(content.strip(), before=before)  # "... Health (NIMH)"
            continue
        cursor = group.start(1)
        for part in content.split(";"):
            yield from _read_part(context, part, cursor, before, after)
            cursor += len(part) + 1


def _in_running_text(context):
    """ "In 2020, Tan and Lee showed ...": linked when the names fit, never reported."""
    for match in _IN_YEAR.finditer(context.paragraph):
        reference = context.index.named_after(match[1], context.paragraph[match.end() :])
        if reference is not None:
            citation = Citation(match[1], match[1], match[1], narrative=True)
            yield match.start(1), match.end(1), citation, reference


def _paragraphs(markdown_text):
    start = 0
    for match in re.finditer(r"\n\s*\n", markdown_text):
        yield start, markdown_text[start : match.start()]
        start = match.end()
    yield start, markdown_text[start:]


def find_citations(markdown_text, index):
    """Every cited work in the text with its position and the reference it names (or None)."""
    for offset, paragraph in _paragraphs(markdown_text):
        context = _Context(paragraph, _fold_in_place(paragraph), index)
        found = sorted([*_in_parentheses(context), *_in_running_text(context)], key=lambda f: f[0])
        last_end = -1
        for start, end, citation, reference in found:
            if start >= last_end:
                yield offset + start, offset + end, citation, reference
                last_end = end


def link_citations(markdown_text, index):
    """The text with each matched citation wrapped in a link to its reference's anchor."""
    pieces, last = [], 0
    for start, end, citation, reference in find_citations(markdown_text, index):
        if reference is None:
            continue
        pieces.append(markdown_text[last:start])
        pieces.append(f'<a class="citation" href="#{reference.anchor}">{escape(citation.text)}</a>')
        last = end
    pieces.append(markdown_text[last:])
    return "".join(pieces)


@dataclass
class CitationReport:
    unmatched: list  # (section heading, citation label)
    uncited: list  # references no citation names

    @property
    def ok(self):
        return not self.unmatched and not self.uncited


def citation_report(sections, references):
    index = CitationIndex(references)
    cited, unmatched = set(), []
    for section in sections:
        for _start, _end, citation, reference in find_citations(section.body, index):
            if reference is None:
                unmatched.append((section.heading, citation.label))
            else:
                cited.add(id(reference))
    uncited = [ref for ref in index.references if id(ref) not in cited]
    return CitationReport(unmatched=unmatched, uncited=uncited)
