"""common.markup.render_markdown: hostile input is neutralised in both modes.

Comments are untrusted (trusted=False): raw HTML and "# headings" are shown as typed and
links get rel="nofollow ugc noopener". Papers are trusted staff input (trusted=True): more
structure is allowed, but the output is still sanitised.
"""

import re

import pytest

from common.markup import render_markdown

BOTH_MODES = pytest.mark.parametrize("trusted", [False, True], ids=["untrusted", "trusted"])

# A tag or attribute that could run code, anywhere in the output's markup (not its text).
_ACTIVE_MARKUP = re.compile(
    r"<\s*(script|iframe|img|svg|object|embed|style)\b"
    r"|<[^>]*\s(on\w+|style|src)\s*="
    r"|href=\"\s*(javascript|data|vbscript):",
    re.IGNORECASE,
)


def assert_inert(html):
    assert not _ACTIVE_MARKUP.search(html), html


@BOTH_MODES
@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=https://evil.example.org/x.js></SCRIPT>",
        "<img src=x onerror=alert(1)>",
        '<img src=x onerror="alert(1)">',
        '<a href="https://example.org" onclick="steal()">link</a>',
        '<p style="position:fixed;top:0">cover</p>',
        '<iframe src="https://evil.example.org/"></iframe>',
        "<svg onload=alert(1)>",
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[d](data:text/html,<b>x</b>)",
        "[x](vbscript:msgbox(1))",
        "![pic](https://example.org/a.png)",
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
    ],
)
def test_hostile_input_is_neutralised(text, trusted):
    assert_inert(render_markdown(text, trusted=trusted))


@BOTH_MODES
def test_script_tag_never_survives(trusted):
    html = render_markdown("Hello <script>alert(1)</script> world", trusted=trusted)
    assert "<script" not in html.lower()


@BOTH_MODES
def test_javascript_and_data_markdown_links_lose_their_href(trusted):
    html = render_markdown("[a](javascript:alert(1)) [b](data:text/html,hi)", trusted=trusted)
    assert "javascript:" not in html
    assert "data:" not in html
    assert "href" not in html
    assert ">a</a>" in html and ">b</a>" in html


@BOTH_MODES
def test_images_are_never_shown(trusted):
    html = render_markdown("Look: ![a cat](https://example.org/cat.png)", trusted=trusted)
    assert "<img" not in html
    assert "src=" not in html


def test_untrusted_image_becomes_a_nofollow_link_named_by_its_alt_text():
    html = render_markdown("![a chart of results](https://example.org/c.png)")
    assert html == (
        '<p><a href="https://example.org/c.png" rel="nofollow ugc noopener">'
        "a chart of results</a></p>"
    )


def test_trusted_image_becomes_a_link_named_by_its_alt_text():
    html = render_markdown("See ![the results](https://example.org/c.png).", trusted=True)
    assert html == (
        '<p>See <a href="https://example.org/c.png" rel="noopener">the results</a>.</p>'
    )


@BOTH_MODES
def test_image_title_and_reference_style_images_are_kept_as_links(trusted):
    html = render_markdown(
        '![one](https://example.org/1.png "First") and ![two][t]\n\n[t]: https://example.org/2.png',
        trusted=trusted,
    )
    assert '<a href="https://example.org/1.png" title="First" rel="' in html
    assert '">one</a> and <a href="https://example.org/2.png" rel="' in html
    assert '">two</a></p>' in html
    assert "<img" not in html


@BOTH_MODES
def test_image_without_alt_text_is_linked_by_its_address(trusted):
    html = render_markdown("![](https://example.org/c.png)", trusted=trusted)
    assert '">https://example.org/c.png</a></p>' in html
    assert "<p></p>" not in html


@BOTH_MODES
@pytest.mark.parametrize("address", ["javascript:alert(1)", "data:image/png;base64,iVBORw0KGgo="])
def test_image_with_a_forbidden_address_keeps_its_alt_text_only(trusted, address):
    html = render_markdown(f"![my chart]({address})", trusted=trusted)
    assert "my chart</a>" in html
    assert "href" not in html
    assert address.split(":")[0] + ":" not in html


@BOTH_MODES
def test_image_inside_a_link_leaves_its_alt_text_as_the_link_text(trusted):
    html = render_markdown(
        "[![the logo](https://example.org/l.png) home](https://example.org/)", trusted=trusted
    )
    assert html.count("<a ") == 1
    assert '<a href="https://example.org/" rel="' in html
    assert '">the logo home</a></p>' in html
    assert "l.png" not in html


def test_untrusted_image_alt_text_stays_text():
    html = render_markdown("![<b>bold</b> claim](https://example.org/c.png)")
    assert "<b>" not in html
    assert ">&lt;b&gt;bold&lt;/b&gt; claim</a>" in html


def test_trusted_mode_strips_event_attributes_and_style():
    html = render_markdown(
        '<img src=x onerror="alert(1)"> <a href="https://example.org" onclick="x()">y</a> '
        '<span style="color:red">red</span>',
        trusted=True,
    )
    assert "onerror" not in html
    assert "onclick" not in html
    assert "style" not in html
    assert '<a href="https://example.org" rel="noopener">y</a>' in html


def test_trusted_mode_drops_iframes():
    html = render_markdown(
        'Before\n\n<iframe src="https://evil.example.org/"></iframe>', trusted=True
    )
    assert "<iframe" not in html
    assert "evil.example.org" not in html
    assert "<p>Before</p>" in html


def test_untrusted_mode_shows_raw_html_as_escaped_text():
    html = render_markdown("I typed <b>bold</b> and <img src=x onerror=alert(1)>")
    assert "<b>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert not re.search(r"<[^>]*\sonerror", html)


def test_untrusted_mode_escapes_script_tags_as_text():
    html = render_markdown("<script>alert(1)</script>")
    assert html == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"


def test_untrusted_mode_links_bare_urls_with_nofollow_ugc_noopener():
    html = render_markdown("see https://example.org/page for more")
    assert html == (
        '<p>see <a href="https://example.org/page" rel="nofollow ugc noopener">'
        "https://example.org/page</a> for more</p>"
    )


@pytest.mark.parametrize(
    "address", ["http://example.org/a", "https://example.org/b", "mailto:ana@example.org"]
)
def test_untrusted_mode_allows_http_https_and_mailto_links(address):
    html = render_markdown(f"[here]({address})")
    assert html == f'<p><a href="{address}" rel="nofollow ugc noopener">here</a></p>'


def test_untrusted_mode_replaces_a_rel_the_writer_chose():
    html = render_markdown("[x](https://example.org)")
    assert html.count("rel=") == 1
    assert 'rel="nofollow ugc noopener"' in html


@pytest.mark.parametrize(
    "text", ["# Not a heading", "Not a heading\n=============", "### Nor this"]
)
def test_untrusted_mode_makes_no_headings(text):
    html = render_markdown(text)
    assert not re.search(r"<h\d", html)
    assert "Not a heading" in html or "Nor this" in html


def test_untrusted_mode_keeps_simple_formatting():
    html = render_markdown("*one* **two** `three`\n\n> quoted\n\n- item")
    assert "<em>one</em>" in html
    assert "<strong>two</strong>" in html
    assert "<code>three</code>" in html
    assert "<blockquote>" in html
    assert "<li>item</li>" in html


def test_untrusted_mode_turns_line_breaks_into_br():
    assert render_markdown("line one\nline two") == "<p>line one<br>\nline two</p>"


def test_trusted_mode_keeps_h3_and_tables():
    html = render_markdown("### Method\n\n| a | b |\n|---|---|\n| 1 | 2 |", trusted=True)
    assert "<h3>Method</h3>" in html
    assert "<table>" in html
    assert "<th>a</th>" in html
    assert "<td>2</td>" in html


def test_trusted_mode_allows_no_h1_but_h2_for_pages():
    """h1 is the page's own title; an organiser's page (About) is headed from ##."""
    html = render_markdown("# Big\n\n## Bigger", trusted=True)
    assert not re.search(r"<h1", html)
    assert "<h2>Bigger</h2>" in html


def test_trusted_mode_fragment_links_have_no_rel():
    html = render_markdown("See [the entry](#ref-x).", trusted=True)
    assert '<a href="#ref-x">the entry</a>' in html
    assert "rel=" not in html


def test_trusted_mode_external_links_get_noopener_only():
    html = render_markdown("[site](https://example.org)", trusted=True)
    assert html == '<p><a href="https://example.org" rel="noopener">site</a></p>'


def test_trusted_mode_keeps_citation_links_made_by_the_citation_linker():
    html = render_markdown(
        'As shown (<a class="citation" href="#ref-naslund-2016">Naslund et al., 2016</a>).',
        trusted=True,
    )
    assert '<a class="citation" href="#ref-naslund-2016">Naslund et al., 2016</a>' in html
