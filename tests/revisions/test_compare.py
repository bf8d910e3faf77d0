"""revisions.compare.text_diff: words taken out and put in marked, everything escaped, and
no document slow to compare."""

import time

from revisions.compare import text_diff


def test_changed_words_are_marked_and_spaces_between_changes_joined():
    html = text_diff("We asked forty maintainers.", "We asked fifty old maintainers.")
    assert html == "We asked <del>forty</del><ins>fifty old</ins> maintainers."
    assert text_diff("a b c d", "a x y d") == "a <del>b c</del><ins>x y</ins> d"


def test_lines_added_and_removed_are_marked_whole():
    html = text_diff("One.\n\nTwo.\n", "One.\n\nOne and a half.\n\nTwo.\n")
    assert html == "One.\n\n<ins>One and a half.\n\n</ins>Two.\n"


def test_everything_is_escaped():
    html = text_diff("<b>bold</b> & more", '<script>alert("x")</script> & more')
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;<del>b</del><ins>script</ins>&gt;" in html and "&amp; more" in html


def test_no_document_is_slow_to_compare():
    cases = [
        ("a\n\n" * 250_000, "b\n\n" * 250_000),
        ("x\n" * 500_000, "x\n" * 250_000 + "y\n" + "x\n" * 249_999),
        ("word " * 200_000, "word " * 100_000 + "other " + "word " * 99_999),
        ("\n".join("x" * 500) + "\nq", "q\n" + "\n".join("x" * 500)),
        (" ".join("ab"[i % 2] for i in range(2000)), " ".join("ba"[i % 2] for i in range(2000))),
    ]
    for old, new in cases:
        started = time.perf_counter()
        html = text_diff(old, new)
        assert time.perf_counter() - started < 3, old[:20]
        assert "<ins>" in html or "<del>" in html
