"""Markdown as an attacker writes it: every input up to a comment's maximum length renders
quickly, never raises, and stays inert, in both modes (comments and papers)."""

import time

import pytest

from bench.markdown_corpus import LENGTH, corpus
from common.markup import render_markdown

from .test_markup import assert_inert

# Far below a second of the processor's time (not the clock's, which other processes share):
# the slowest of these takes about 0.1 s here; the old renderer took 11 s on a run of "[" and
# raised RecursionError on deeply nested lists.
TIME_BOUND_SECONDS = 0.5
CORPUS = corpus()


def test_corpus_covers_every_kind_of_input_at_full_length():
    assert len(CORPUS) >= 60
    assert all(len(text) <= LENGTH for text in CORPUS.values())
    assert max(len(text) for text in CORPUS.values()) == LENGTH


@pytest.mark.parametrize("trusted", [False, True], ids=["comment", "paper"])
@pytest.mark.parametrize("name", list(CORPUS))
def test_pathological_input_renders_fast_and_inert(name, trusted):
    started = time.process_time()
    html = render_markdown(CORPUS[name], trusted=trusted)
    elapsed = time.process_time() - started
    assert elapsed < TIME_BOUND_SECONDS, f"{name}: {elapsed:.2f} s"
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
