"""The few words of a result that show why it was found, with the words asked for marked.

A paper's text runs to thousands of words and a results page shows twenty: the words asked
for are found first (in plain ASCII text by a regular expression over their stems' first
letters, each find then checked against the terms; in other text word by word), and only
the stretch around them is cut into words.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .analysis import EMAIL, WORD, term

SNIPPET_WORDS = 36
CHARACTERS_PER_WORD = 8  # a word and the space after it, generously


def _candidates(query):
    """A regular expression finding, in ASCII text, every word that may be one asked for:
    each term's stem less its last letter (Snowball's stems end in "i" for "y" and so on)."""
    stems = sorted({t[:-1] if len(t) > 3 else t for t in query.highlighted}, key=len)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, stems)) + r")\w*", re.IGNORECASE)


def _marks(text, query):
    """[(start, end, term)] of the words of text that are words asked for, in order."""
    wanted = query.highlighted
    if not wanted:
        return []
    words = _candidates(query).finditer(text) if text.isascii() else WORD.finditer(text)
    found = ((word, term(word.group())) for word in words)
    return [(*word.span(), found_term) for word, found_term in found if found_term in wanted]


def _stretch(marks, width):
    """(start, end) of the characters around the marks that fit in width with the most
    different words asked for, then the most marks."""
    best, first, last, right = (0, 0), marks[0][0], marks[0][1], 0
    for left, (start, _, _) in enumerate(marks):
        right = max(right, left)
        while right + 1 < len(marks) and marks[right + 1][1] - start <= width:
            right += 1
        inside = marks[left : right + 1]
        score = (len({found for _, _, found in inside}), len(inside))
        if score > best:
            best, first, last = score, start, marks[right][1]
    middle, half = (first + last) // 2, max(width, last - first) // 2
    return max(0, middle - half), middle + half


def _centred(words, marked, size, stretch):
    """The index of the first of `size` of the words, centred on the marked ones in the
    stretch of characters chosen."""
    low, high = stretch
    inside = [i for i, w in enumerate(words) if w.start() in marked and low <= w.start() < high]
    if len(words) <= size or not inside:
        return 0
    centred = inside[0] - (size - (inside[-1] - inside[0] + 1)) // 2
    return max(0, min(centred, len(words) - size))


def snippet(text, query, size=SNIPPET_WORDS):
    """HTML: about `size` words of text around the most words of the query, each one of them
    in <mark>; the text is escaped, and an e-mail address in it is never shown."""
    if "@" in text:
        text = EMAIL.sub("…", text)
    marks = _marks(text, query)
    width = size * CHARACTERS_PER_WORD
    stretch = _stretch(marks, width) if marks else (0, width)
    low, high = max(0, stretch[0] - width), min(len(text), stretch[1] + width)
    words = list(WORD.finditer(text, low, high))
    if words and low > 0 and text[low - 1 : low + 1].isalnum():
        words.pop(0)  # cut inside a word
    if words and high < len(text) and text[high - 1 : high + 1].isalnum():
        words.pop()
    if not words:
        return ""
    marked = {start for start, _, _ in marks}
    first = _centred(words, marked, size, stretch)
    shown = words[first : first + size]
    begin_at = shown[0].start() if WORD.search(text, 0, shown[0].start()) else 0
    end_at = shown[-1].end() if WORD.search(text, shown[-1].end()) else len(text)
    parts, at = ["… " if begin_at else ""], begin_at
    for word in shown:
        parts.append(escape(text[at : word.start()]))
        shown_word = escape(word.group())
        parts.append(f"<mark>{shown_word}</mark>" if word.start() in marked else shown_word)
        at = word.end()
    parts.append(escape(text[at:end_at]))
    if end_at < len(text):
        parts.append(" …")
    return mark_safe(" ".join("".join(parts).split()))
