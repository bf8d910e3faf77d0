"""The few words of a result that show why it was found, with the words asked for marked."""

import bisect

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .analysis import EMAIL, WORD, term

SNIPPET_WORDS = 36


def _window(length, marked, size):
    """The start of the `size` words (of `length`) holding the most marked ones, centred."""
    positions = sorted(marked)
    best, first, last = 0, positions[0], positions[0]
    for left, at in enumerate(positions):
        right = bisect.bisect_left(positions, at + size) - 1
        if right - left + 1 > best:
            best, first, last = right - left + 1, at, positions[right]
    centred = first - (size - (last - first + 1)) // 2
    return max(0, min(centred, length - size))


def snippet(text, query, size=SNIPPET_WORDS):
    """HTML: about `size` words of text around the most words of the query, each one of them
    in <mark>; the text is escaped, and an e-mail address in it is never shown."""
    if "@" in text:
        text = EMAIL.sub("…", text)
    words = list(WORD.finditer(text))
    if not words:
        return ""
    wanted, raw = query.highlighted, [word.group() for word in words]
    asked = {word: term(word) in wanted for word in set(raw)}
    marked = {i for i, word in enumerate(raw) if asked[word]}
    start = _window(len(words), marked, size) if marked else 0
    end = min(len(words), start + size)
    begin_at = words[start].start() if start else 0
    end_at = words[end - 1].end() if end < len(words) else len(text)
    parts = ["… " if start else ""]
    at = begin_at
    for i in range(start, end):
        word = words[i]
        parts.append(escape(text[at : word.start()]))
        shown = escape(raw[i])
        parts.append(f"<mark>{shown}</mark>" if i in marked else shown)
        at = word.end()
    parts.append(escape(text[at:end_at]))
    if end < len(words):
        parts.append(" …")
    return mark_safe(" ".join("".join(parts).split()))
