"""In-text citations: finding them in a section's Markdown and linking them to the bibliography.

Both APA forms are understood:
- parenthetical: "(Naslund et al., 2016, p. 114)", "(Mercieca & Kelly, 2018, p. 64)",
  several at once separated by semicolons;
- narrative: "Niela-Vilén et al. argue ... (2014, pp. 1534-1535)", where the author is named
  earlier in the same paragraph and the parentheses hold only the year and pages.
"""

import re
from dataclasses import dataclass

from django.utils.html import escape

from .apa import fold, surnames

_YEAR = r"(?:\d{4}[a-z]?|n\.d\.)"
_LOCATOR = r"(?:,\s*(?:pp?|paras?|chap)\.\s*[\w\s\-\u2013\u2014,]+?)?"
_PARENTHESES = re.compile(r"\(([^()\n]*?\b" + _YEAR + r"[^()\n]*)\)")
_AUTHOR_PART = re.compile(r"^(?P<authors>[^\d,][^,]*?),\s*(?P<year>" + _YEAR + ")" + _LOCATOR + "$")
_YEAR_PART = re.compile(r"^(?P<year>" + _YEAR + ")" + _LOCATOR + "$")
_SEPARATORS = re.compile(r"\s+(?:et al\.?|&|and)\s*|,")


@dataclass(frozen=True)
class Citation:
    text: str
    year: str
    names: tuple  # cited surnames, folded; empty for a narrative citation
    narrative: bool


def _cited_names(authors):
    return tuple(fold(n) for n in _SEPARATORS.split(authors) if n.strip())


def _parse_part(part):
    part = part.strip()
    if match := _AUTHOR_PART.match(part):
        return Citation(part, match["year"], _cited_names(match["authors"]), narrative=False)
    if match := _YEAR_PART.match(part):
        return Citation(part, match["year"], (), narrative=True)
    return None


class CitationIndex:
    """The references of one paper, looked up the way a reader matches a citation."""

    def __init__(self, references):
        self.references = list(references)
        self._names = {id(ref): [fold(n) for n in surnames(ref.authors)] for ref in self.references}

    def match(self, citation, preceding_text=""):
        candidates = [ref for ref in self.references if ref.year == citation.year]
        if citation.narrative:
            return self._latest_named(candidates, fold(preceding_text))
        first, *others = citation.names
        found = [ref for ref in candidates if self._names[id(ref)][0] == first]
        if others and len(found) > 1:
            found = [ref for ref in found if others[0] in self._names[id(ref)][1:2]] or found
        return found[0] if found else None

    def _latest_named(self, candidates, text):
        """The candidate whose first author is named last before the parentheses."""
        best, best_at = None, -1
        for ref in candidates:
            at = _last_mention(self._names[id(ref)][0], text)
            if at > best_at:
                best, best_at = ref, at
        return best


def _last_mention(name, text):
    """Where name last stands in text as a whole word ("Tan" is not in "important"), or -1."""
    mentions = list(re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text))
    return mentions[-1].start() if mentions else -1


def _paragraphs(markdown_text):
    start = 0
    for match in re.finditer(r"\n\s*\n", markdown_text):
        yield start, markdown_text[start : match.start()]
        start = match.end()
    yield start, markdown_text[start:]


def find_citations(markdown_text, index):
    """Every citation in the text with its position and the reference it names (or None)."""
    for offset, paragraph in _paragraphs(markdown_text):
        for group in _PARENTHESES.finditer(paragraph):
            cursor = group.start(1)
            for part in group[1].split(";"):
                citation = _parse_part(part)
                if citation:
                    start = offset + cursor + (len(part) - len(part.lstrip()))
                    reference = index.match(citation, paragraph[: group.start()])
                    yield start, start + len(citation.text), citation, reference
                cursor += len(part) + 1


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
    unmatched: list  # (section heading, citation text)
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
                unmatched.append((section.heading, citation.text))
            else:
                cited.add(id(reference))
    uncited = [ref for ref in index.references if id(ref) not in cited]
    return CitationReport(unmatched=unmatched, uncited=uncited)
