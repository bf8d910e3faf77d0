"""Markdown as an attacker writes it: every input up to a comment's maximum length renders
in work linear in its length, never raises, and stays inert, in both modes (comments and
papers).

The work is counted, not timed (times belong to bench/markdown_timing.py): the number of Python
functions entered while rendering, which is the same on every machine and every run. The
renderer and the sanitiser are Python, so a renderer that backtracks or recurses shows up
here as it would on a clock."""

import sys

import pytest

from bench.markdown_corpus import LENGTH, corpus
from common.markup import render_markdown

from .test_markup import assert_inert

# A pathological input may cost what WORK_BOUND ordinary comments of the same length cost. The
# worst of today's corpus costs about twenty (a run of "![" 10,000 characters long); the old
# renderer cost about a thousand on a run of "[" (11 s), and raised RecursionError on deeply
# nested lists.
WORK_BOUND = 40
CORPUS = corpus()
ORDINARY = "\n\n".join(
    [
        "An ordinary comment says *what it thinks* of the paper, quotes **a line** and links "
        "[a source](https://example.org/page) now and then. " * 3
    ]
    * 200
)[:LENGTH]


def render_counting_calls(text, trusted=False):
    """Render text; return the HTML and how many Python functions were entered doing it."""
    monitoring = sys.monitoring
    # The first free tool id: coverage or a debugger may hold some.
    tool = next(tool for tool in range(6) if monitoring.get_tool(tool) is None)
    calls = 0

    def entered(code, offset):
        nonlocal calls
        calls += 1

    monitoring.use_tool_id(tool, "markup work count")
    try:
        monitoring.register_callback(tool, monitoring.events.PY_START, entered)
        monitoring.set_events(tool, monitoring.events.PY_START)
        html = render_markdown(text, trusted=trusted)
    finally:
        monitoring.set_events(tool, 0)
        monitoring.free_tool_id(tool)
    return html, calls


@pytest.fixture(scope="module")
def ordinary_work():
    return render_counting_calls(ORDINARY)[1]


def test_corpus_covers_every_kind_of_input_at_full_length():
    assert len(CORPUS) >= 60
    assert all(len(text) <= LENGTH for text in CORPUS.values())
    assert max(len(text) for text in CORPUS.values()) == LENGTH


def test_work_counted_is_the_renderers_and_grows_with_the_input(ordinary_work):
    assert ordinary_work > 10_000
    assert render_counting_calls(ORDINARY[: LENGTH // 10])[1] < ordinary_work / 5


@pytest.mark.parametrize("trusted", [False, True], ids=["comment", "paper"])
@pytest.mark.parametrize("name", list(CORPUS))
def test_pathological_input_renders_in_linear_work_and_inert(name, trusted, ordinary_work):
    html, work = render_counting_calls(CORPUS[name], trusted=trusted)
    assert work < WORK_BOUND * ordinary_work, (
        f"{name}: {work / ordinary_work:.1f} ordinary comments' work (bound {WORK_BOUND})"
    )
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
