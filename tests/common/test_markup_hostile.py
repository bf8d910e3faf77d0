"""Markdown as an attacker writes it: every input up to a comment's maximum length renders
quickly, never raises, and stays inert, in both modes (comments and papers)."""

import time

import pytest

from bench.markdown_corpus import LENGTH, corpus
from common.markup import render_markdown

from .test_markup import assert_inert

# Measured in the processor's time (not the clock's, which other processes share). A
# pathological input may cost what ORDINARY_TIMES ordinary comments of the same length cost
# on the machine running the test, and at least TIME_BOUND_SECONDS: the slowest of these
# costs about ten ordinary ones (0.1 s on a fast machine, 0.4 to 0.6 s on a slow one); the old
# renderer took 11 s (about a thousand) on a run of "[", and raised RecursionError on deeply
# nested lists.
TIME_BOUND_SECONDS = 0.5
ORDINARY_TIMES = 25
CORPUS = corpus()
ORDINARY = "\n\n".join(
    [
        "An ordinary comment says *what it thinks* of the paper, quotes **a line** and links "
        "[a source](https://example.org/page) now and then. " * 3
    ]
    * 200
)[:LENGTH]


@pytest.fixture(scope="module")
def time_bound():
    """The bound on this machine: ORDINARY_TIMES ordinary comments' time, at least the floor."""
    times = []
    for _ in range(3):
        started = time.process_time()
        render_markdown(ORDINARY)
        times.append(time.process_time() - started)
    return max(TIME_BOUND_SECONDS, ORDINARY_TIMES * sorted(times)[1])


def test_corpus_covers_every_kind_of_input_at_full_length():
    assert len(CORPUS) >= 60
    assert all(len(text) <= LENGTH for text in CORPUS.values())
    assert max(len(text) for text in CORPUS.values()) == LENGTH


@pytest.mark.parametrize("trusted", [False, True], ids=["comment", "paper"])
@pytest.mark.parametrize("name", list(CORPUS))
def test_pathological_input_renders_fast_and_inert(name, trusted, time_bound):
    started = time.process_time()
    html = render_markdown(CORPUS[name], trusted=trusted)
    elapsed = time.process_time() - started
    assert elapsed < time_bound, f"{name}: {elapsed:.2f} s (bound {time_bound:.2f} s)"
    assert_inert(html)


@pytest.mark.parametrize("prefix", ["- ", "> ", "1. ", "> - "])
def test_blocks_nested_deeper_than_anyone_writes_are_shown_as_typed(prefix):
    text = "Before.\n\n" + prefix * 500 + "deepest <b>x</b>\nnext line"
    html = render_markdown(text)
    assert html.startswith("<p>Before.</p>")
    assert "deepest &lt;b&gt;x&lt;/b&gt;<br>\nnext line</p>" in html
    assert "<ul>" not in html and "<blockquote>" not in html


def test_nesting_people_write_is_still_markdown():
    html = render_markdown("- one\n  - two\n    - three\n\n> quoted\n> > twice")
    assert html.count("<ul>") == 3
    assert html.count("<blockquote>") == 2
