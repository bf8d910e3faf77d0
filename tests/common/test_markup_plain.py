"""common.markup's shortcut for plain comments: a text it takes as plain gets exactly the HTML
the parser and sanitiser would have given it, and anything Markdown or the address finder
would read is not taken as plain."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from common import markup

WORDS = [
    "peer", "Jörg", "p. 12", "(2019)", "it's", '"quoted"', "50%", "$3", "—", "e.g", "a/b",
    "=", "+", "-", "1.", "2)", "!", "@", "www", "http", "https", ":", "//", "mailto",
    "example", ".", "com", "xn--p1ai", "localhost", " ", "  ", "\n", "\n\n", "\t", "\u00a0",
    "*", "_", "[", "]", "<b>", "&amp;", "#", ">", "`", "~", "|", "\\",
]  # fmt: skip


def parsed(text):
    """What the parser and sanitiser make of the text, without the shortcut."""
    md, env = markup._PARSERS[False], {}
    html = md.renderer.render(md.parse(text, env), md.options, env)
    return markup._CLEANERS[False].clean(html).strip()


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=30).map("".join))
def test_a_text_taken_as_plain_gets_the_parsers_html(text):
    if markup._NOT_PLAIN.search(text):
        return
    assert markup.render_markdown(text) == parsed(text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=60))
def test_any_text_renders_as_the_parser_renders_it(text):
    assert markup.render_markdown(text) == parsed(text)


@pytest.mark.parametrize(
    "text",
    [
        "See www.example.org for more",
        "Mail mailto:someone@example",
        "a //localhost link",
        "example.com is linked",
        "- a list",
        "1. a numbered list",
        "> a quote",
        "*stressed*",
        "two spaces at the end  \nof a line",
        "    indented code",
        "a &amp; b",
    ],
)
def test_what_markdown_reads_is_not_taken_as_plain(text):
    assert markup._NOT_PLAIN.search(text)
    assert markup.render_markdown(text) == parsed(text)


@pytest.mark.parametrize(
    "text",
    [
        "Thanks for the paper! I agree with the second point, and @Maria too.",
        'A "quoted" line\nand a second line\n\nA new paragraph (p. 12).',
    ],
)
def test_ordinary_comments_are_taken_as_plain(text):
    assert not markup._NOT_PLAIN.search(text)
    assert markup.render_markdown(text) == parsed(text)
