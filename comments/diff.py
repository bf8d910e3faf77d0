"""A side-by-side, word-level difference of two comment texts, for the moderation admin."""

import difflib

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe


def _marked(words, spans, tag):
    out = []
    for start, end, changed in spans:
        text = escape(" ".join(words[start:end]))
        out.append(f'<{tag} class="diff-change">{text}</{tag}>' if changed and text else text)
    return mark_safe(" ".join(part for part in out if part))


def side_by_side(original, new, *, left, right):
    """Two columns: the original with removed words struck, the new with added words marked."""
    a, b = original.split(), new.split()
    a_spans, b_spans = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        a_spans.append((i1, i2, op != "equal"))
        b_spans.append((j1, j2, op != "equal"))
    return format_html(
        '<table class="comment-diff"><thead><tr><th scope="col">{}</th><th scope="col">{}</th>'
        "</tr></thead><tbody><tr><td>{}</td><td>{}</td></tr></tbody></table>",
        left,
        right,
        _marked(a, a_spans, "del"),
        _marked(b, b_spans, "ins"),
    )
