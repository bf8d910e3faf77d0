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
# difflib compares every element with every other in the worst case (a tenth of a second
# for a million pairs here): past this many pairs of lines or words in one stretch (after
# what both begin and end with is set aside), or in one comparison in all, a changed stretch
# is shown taken out and put in whole, so that no document makes the comparison slow.
MOST_PAIRS = 1_000_000
MOST_PAIRS_IN_ALL = 4_000_000
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


class Budget:
    """The pairs of elements difflib may still compare in one comparison."""

    def __init__(self, pairs=MOST_PAIRS_IN_ALL):
        self.pairs = pairs

    def spend(self, pairs):
        """Whether that many pairs may be compared (and if so, they are spent)."""
        if pairs > min(self.pairs, MOST_PAIRS):
            return False
        self.pairs -= pairs
        return True


def _runs(a, b, budget):
    """[(old text, new text)] of two lists of strings (lines, or words), the two the same
    where nothing changed."""
    start, shortest = 0, min(len(a), len(b))
    while start < shortest and a[start] == b[start]:
        start += 1
    end = 0
    while end < shortest - start and a[-1 - end] == b[-1 - end]:
        end += 1
    middle_a, middle_b = a[start : len(a) - end], b[start : len(b) - end]
    if budget.spend(len(middle_a) * len(middle_b)):
        matcher = SequenceMatcher(None, middle_a, middle_b, autojunk=False)
        middle = [
            ("".join(middle_a[i1:i2]), "".join(middle_b[j1:j2]))
            for _tag, i1, i2, j1, j2 in matcher.get_opcodes()
        ]
    else:
        middle = [("".join(middle_a), "".join(middle_b))]
    same_start, same_end = "".join(a[:start]), "".join(a[len(a) - end :])
    return [*([(same_start, same_start)] if start else []), *middle] + (
        [(same_end, same_end)] if end else []
    )


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


def text_diff(old, new, budget=None):
    """HTML of the new text against the old: what was taken out in <del>, what was put in in
    <ins>, the rest as it was; every character escaped. Lines are compared first, then the
    words of the lines that changed."""
    budget, runs = budget or Budget(), []
    lines = _runs(old.splitlines(keepends=True), new.splitlines(keepends=True), budget)
    for before, after in lines:
        if before == after:
            runs.append((before, after))
        else:
            runs += _runs(WORDS.findall(before), WORDS.findall(after), budget)
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
    return bool(a | b) and len(a & b) / len(a | b) >= RENAMED


MOST_SIMILARITY_CHECKS = 2_500  # sections whose text is compared with each other, at most


def _pairs(old, new):
    """[(old index or None, new index or None)]: sections of the same heading, then those
    of another heading and mostly the same words (renamed), then, between two sections
    paired, as many on each side (renamed in their places, as the page's anchors take them:
    papers.revisions); the rest added or removed. In the new order, each removed section
    before the first section that follows it in both."""
    by_heading = {}
    for i, (heading, _body) in enumerate(old):
        by_heading.setdefault(heading, []).append(i)
    for indices in by_heading.values():
        indices.reverse()  # popped from the end: the first first
    partner = {}  # new index -> old index
    for j, (heading, _body) in enumerate(new):
        if by_heading.get(heading):
            partner[j] = by_heading[heading].pop()
    free = sorted(set(range(len(old))) - set(partner.values()))
    unpaired = [j for j in range(len(new)) if j not in partner]
    if len(unpaired) * len(free) <= MOST_SIMILARITY_CHECKS:
        words = {i: _words(old[i][1]) for i in free}
        for j in unpaired:
            mine = _words(new[j][1])
            i = next((i for i in free if _similar(words[i], mine)), None)
            if i is not None:
                partner[j] = i
                free.remove(i)
    # Between two pairs, as many sections on each side: the same places, renamed. (Pairs in
    # order look at each old place once; sections moved about, at most twice as many.)
    free, looked = set(free), 2 * len(old)
    bounds = [(-1, -1), *sorted(partner.items()), (len(new), len(old))]
    for (j0, i0), (j1, i1) in itertools.pairwise(bounds):
        news = [j for j in range(j0 + 1, j1) if j not in partner]
        if not news or (looked := looked - max(0, i1 - i0)) < 0:
            continue
        olds = [i for i in range(i0 + 1, i1) if i in free]
        if len(news) == len(olds):
            partner.update(zip(news, olds, strict=True))
            free.difference_update(olds)
    following, after = [len(old)] * len(new), len(old)  # the old place of the next pair
    for j in reversed(range(len(new))):
        after = partner.get(j, after)
        following[j] = after
    pairs, removed, r = [], sorted(free), 0
    for j in range(len(new)):
        while r < len(removed) and removed[r] < following[j]:
            pairs.append((removed[r], None))
            r += 1
        pairs.append((partner.get(j), j))
    return pairs + [(i, None) for i in removed[r:]]


def _section_change(old, new, budget):
    if new is None:
        return SectionChange("removed", _marked("del", old[0]), _marked("del", old[1]))
    if old is None:
        return SectionChange("added", _marked("ins", new[0]), _marked("ins", new[1]))
    if old == new:
        return SectionChange("same", escape(new[0]), "")
    kind = "renamed" if old[0] != new[0] else "changed"
    heading, body = text_diff(old[0], new[0], budget), text_diff(old[1], new[1], budget)
    return SectionChange(kind, heading, body)


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
    budget = Budget()
    try:
        (old_meta, old), (new_meta, new) = _parts(old_document), _parts(new_document)
    except ImportProblem:
        change = _section_change(("Document", old_document), ("Document", new_document), budget)
        return Comparison(fields=[], sections=[change] if whole else [], readable=False)
    fields = [
        (label, text_diff(_meta_text(old_meta, key), _meta_text(new_meta, key), budget))
        for key, label in FIELDS
        if _meta_text(old_meta, key) != _meta_text(new_meta, key)
    ]
    sections = [
        _section_change(
            old[i] if i is not None else None, new[j] if j is not None else None, budget
        )
        for i, j in _pairs(old, new)
    ]
    return Comparison(fields=fields, sections=sections)
