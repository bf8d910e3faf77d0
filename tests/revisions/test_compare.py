"""revisions.compare.text_diff: words taken out and put in marked, everything escaped, and
no document slow to compare."""

from difflib import SequenceMatcher

import pytest

from revisions import compare
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


class CountingMatcher(SequenceMatcher):
    """difflib's matcher, noting how many pairs of elements each comparison may weigh."""

    compared = []

    def __init__(self, isjunk, a, b, **options):
        self.compared.append(len(a) * len(b))
        super().__init__(isjunk, a, b, **options)


@pytest.fixture
def compared(monkeypatch):
    CountingMatcher.compared = []
    monkeypatch.setattr(compare, "SequenceMatcher", CountingMatcher)
    return CountingMatcher.compared


@pytest.mark.parametrize(
    "old, new",
    [
        ("a\n\n" * 250_000, "b\n\n" * 250_000),
        ("x\n" * 500_000, "x\n" * 250_000 + "y\n" + "x\n" * 249_999),
        ("word " * 200_000, "word " * 100_000 + "other " + "word " * 99_999),
        ("\n".join("x" * 500) + "\nq", "q\n" + "\n".join("x" * 500)),
        (" ".join("ab"[i % 2] for i in range(2000)), " ".join("ba"[i % 2] for i in range(2000))),
        (
            "".join(f"line {i}\n" for i in range(3000)),
            "".join(f"line {i}\n" for i in range(1, 3001)),
        ),
    ],
    ids=[
        "every line changed",
        "one line in a million",
        "one word in 200,000",
        "rotated",
        "every word swapped",
        "every line shifted",
    ],
)
def test_no_document_is_slow_to_compare(old, new, compared):
    """difflib's work grows with the pairs of elements it weighs (a tenth of a second a
    million pairs on a fast machine): none of these documents makes it weigh more than the
    bound, whatever the machine, and each still shows what changed."""
    html = text_diff(old, new)
    assert "<ins>" in html or "<del>" in html
    # The bounds as numbers, not as compare.py's constants: raising those fails this test.
    assert all(pairs <= 1_000_000 for pairs in compared)
    assert sum(compared) <= 4_000_000


def test_a_change_too_large_to_compare_word_by_word_is_shown_whole(compared):
    old, new = "a\n" * 2000, "b\n" * 2000
    html = text_diff(old, new)
    assert html == f"<del>{old[:-1]}</del><ins>{new[:-1]}</ins>\n"  # the last newline kept
    assert compared == []
