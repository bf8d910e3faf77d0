"""Two revisions of a paper compared: the front matter's changes, and section by section the
Markdown with the words taken out in <del> and the words put in in <ins> (difflib).

What is compared is each revision's document (papers.document), as its author wrote it: the
comparison shows Markdown as text, never renders it, and escapes every character of it, so
that a document holding HTML or script shows it as typed. Sections are paired by heading,
then a renamed section by its text (most of its words the same); the others were added or
removed.
"""

import itertools
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from papers.document import reference_text
from papers.importer import ImportProblem, parse_paper
from papers.models import Reference

WORDS = re.compile(r"\w+|\s+|[^\w\s]")
# Above this many token pairs, a changed run is shown taken out and put in whole: difflib
# compares every token with every other in the worst case.
MOST_PAIRS = 1_000_000
RENAMED = 0.5  # the share of their words two sections with other headings must share
FIELDS = (
    ("title", "Title"),
    ("authors", "Authors"),
    ("stream", "Stream"),
    ("date", "Date"),
    ("thesis", "Thesis"),
    ("abstract", "Abstract"),
    ("status", "Status"),
)


def _marked(tag, text):
    return format_html("<{0}>{1}</{0}>", tag, text) if text else ""


def _words_diff(old, new):
    """Word by word: [(old text, new text)], the two the same where nothing changed."""
    a, b = WORDS.findall(old), WORDS.findall(new)
    if len(a) * len(b) > MOST_PAIRS:
        return [(old, new)]
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return [("".join(a[i1:i2]), "".join(b[j1:j2])) for _, i1, i2, j1, j2 in matcher.get_opcodes()]


def _merged(runs):
    """[[old, new, changed]]: changes separated only by spaces shown as one change,
    "<del>a b</del>" rather than "<del>a</del> <del>b</del>"."""
    merged = []
    for index, (old, new) in enumerate(runs):
        changed = old != new
        following = runs[index + 1] if index + 1 < len(runs) else None
        joins = changed or (not old.strip() and following and following[0] != following[1])
        if joins and merged and merged[-1][2]:
            merged[-1][0] += old
            merged[-1][1] += new
        else:
            merged.append([old, new, changed])
    return merged


def text_diff(old, new):
    """HTML of the new text against the old: what was taken out in <del>, what was put in in
    <ins>, the rest as it was; every character escaped. Lines are compared first, then the
    words of the lines that changed."""
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    runs = []
    matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        runs += [(before, after)] if tag == "equal" else _words_diff(before, after)
    html = []
    for before, after, changed in _merged(runs):
        if changed:
            html += [_marked("del", before), _marked("ins", after)]
        else:
            html.append(escape(before))
    return mark_safe("".join(html))


@dataclass
class SectionChange:
    """One section in the comparison: kind is "same", "changed", "renamed", "added" or
    "removed"; heading and body are HTML (the changes marked)."""

    kind: str
    heading: str
    body: str

    @property
    def changed(self):
        return self.kind != "same"


@dataclass
class Comparison:
    fields: list  # (label, HTML of the change), for the front matter's values that changed
    sections: list  # SectionChange, in the newer revision's order, removed ones where they were
    readable: bool = True  # False: a document did not read, and the whole text is compared

    @property
    def changed(self):
        return bool(self.fields) or any(section.changed for section in self.sections)


def _meta_text(meta, key):
    value = meta.get(key, "")
    if key == "authors":
        return "; ".join(name for _line, name, _email in value)
    if key == "status":
        return value or "published"
    return str(value)


def _words(text):
    return set(WORDS.findall(text.lower())) - {" ", "\n"}


def _similar(a, b):
    a, b = _words(a), _words(b)
    return bool(a | b) and len(a & b) / len(a | b) >= RENAMED


def _pairs(old, new):
    """[(old index or None, new index or None)]: sections of the same heading, then those
    of another heading and mostly the same words (renamed), then, between two sections
    paired, as many on each side (renamed in their places, as the page's anchors take them:
    revisions.services); the rest added or removed. In the new order, each removed section
    after the one that came before it."""
    partner, free = {}, list(range(len(old)))
    for j, (heading, _body) in enumerate(new):
        i = next((i for i in free if old[i][0] == heading), None)
        if i is not None:
            partner[j] = i
            free.remove(i)
    for j, (_heading, body) in enumerate(new):
        if j not in partner:
            i = next((i for i in free if _similar(old[i][1], body)), None)
            if i is not None:
                partner[j] = i
                free.remove(i)
    # Between two pairs, as many sections on each side: the same places, renamed.
    bounds = [(-1, -1), *sorted(partner.items()), (len(new), len(old))]
    for (j0, i0), (j1, i1) in itertools.pairwise(bounds):
        news = [j for j in range(j0 + 1, j1) if j not in partner]
        olds = [i for i in range(i0 + 1, i1) if i in free]
        if news and len(news) == len(olds):
            partner.update(zip(news, olds, strict=True))
            free = [i for i in free if i not in olds]
    pairs, removed = [], sorted(free)
    for j in range(len(new)):
        # a removed section goes before the first section that follows it in both
        following = next((partner[k] for k in range(j, len(new)) if k in partner), len(old))
        while removed and removed[0] < following:
            pairs.append((removed.pop(0), None))
        pairs.append((partner.get(j), j))
    return pairs + [(i, None) for i in removed]


def _section_change(old, new):
    if new is None:
        return SectionChange("removed", _marked("del", old[0]), _marked("del", old[1]))
    if old is None:
        return SectionChange("added", _marked("ins", new[0]), _marked("ins", new[1]))
    if old == new:
        return SectionChange("same", escape(new[0]), "")
    kind = "renamed" if old[0] != new[0] else "changed"
    return SectionChange(kind, text_diff(old[0], new[0]), text_diff(old[1], new[1]))


def _parts(document):
    """(front matter, [(heading, body)]) of a document; the bibliography a section too."""
    parsed = parse_paper(document)
    sections = [(heading, body) for _line, heading, body in parsed.sections]
    if parsed.references:
        texts = [reference_text(Reference(**parts)) for _line, parts in parsed.references]
        sections.append(("References", "\n\n".join(texts)))
    return parsed.meta, sections


def revisions_compared(old_document, new_document, *, whole=False):
    """The changes from one document to the other (a Comparison).

    When one of them no longer reads, the whole documents are compared if whole is true
    (for those who may edit the paper: a document holds its authors' e-mail addresses, which
    the site shows nobody else), else nothing is."""
    try:
        (old_meta, old), (new_meta, new) = _parts(old_document), _parts(new_document)
    except ImportProblem:
        change = _section_change(("Document", old_document), ("Document", new_document))
        return Comparison(fields=[], sections=[change] if whole else [], readable=False)
    fields = [
        (label, text_diff(_meta_text(old_meta, key), _meta_text(new_meta, key)))
        for key, label in FIELDS
        if _meta_text(old_meta, key) != _meta_text(new_meta, key)
    ]
    sections = [
        _section_change(old[i] if i is not None else None, new[j] if j is not None else None)
        for i, j in _pairs(old, new)
    ]
    return Comparison(fields=fields, sections=sections)
