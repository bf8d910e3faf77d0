"""The one place where Markdown becomes HTML, always through bleach's allow-list.

The site has one dialect, CommonMark (rendered by markdown-it-py, whose time grows linearly
with the input, however hostile: no backtracking over unmatched brackets, and nesting stops
at a fixed depth instead of recursing), for papers and comments alike.

Papers are trusted staff input; comments are not. Both are sanitised. For untrusted text,
raw HTML and headings are not Markdown at all (they show as typed), a line break is kept as
one, and every link gets rel="nofollow ugc noopener". Papers may also hold tables and the
HTML the allow-list keeps. Neither loads an image from another site: a Markdown image becomes
a link to it whose text is the image's alt text, so what the writer said is kept. A paper's
paragraph that holds only an image is a figure, drawn by the caller (papers.figures), and an
<img> is kept only when its address is on this site.
"""

import re

import bleach
from bleach.html5lib_shim import Filter
from django.conf import settings
from django.utils.html import escape
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

COMMENT_TAGS = frozenset(
    {"a", "p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "hr"}
)
PAPER_TAGS = COMMENT_TAGS | {
    "h2",
    "h3",
    "h4",
    "sub",
    "sup",
    "abbr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "figure",
    "figcaption",
    "img",
    "span",
}
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel", "class"],
    "abbr": ["title"],
    "ol": ["start"],
    "figure": ["id", "class"],
    "img": ["src", "alt", "width", "height", "loading"],
    "span": ["class"],
}

UNTRUSTED_REL = "nofollow ugc noopener"

# What the comment form says of the dialect.
COMMENT_SYNTAX_HELP = (
    "Markdown (CommonMark): *italic*, **bold**, [link text](https://example.org), "
    "&gt; quote, - list, `code`. Web addresses become links; HTML and images are shown as "
    "typed or as links."
)


def _rel_filter(rel):
    """A bleach filter giving every link but a fragment link this rel (and no other)."""

    class SetRel(Filter):
        def __iter__(self):
            for token in super().__iter__():
                if token["type"] == "StartTag" and token["name"] == "a":
                    attrs = token["data"]
                    attrs.pop((None, "rel"), None)
                    if not attrs.get((None, "href"), "").startswith("#"):
                        attrs[(None, "rel")] = rel
                yield token

    return SetRel


def _is_on_this_site(address):
    """A path on this site ("/media/..."), or an address under SITE_URL; never "//host"."""
    if address.startswith("/"):
        return not address.startswith("//")
    return address.startswith(settings.COLLOQUY_SITE_URL.rstrip("/") + "/")


class OwnImagesOnly(Filter):
    """Drop every <img> whose address is not on this site: a page never loads another's."""

    def __iter__(self):
        for token in super().__iter__():
            is_image = token.get("name") == "img" and token["type"] in ("StartTag", "EmptyTag")
            if is_image and not _is_on_this_site(token["data"].get((None, "src"), "")):
                continue
            yield token


def _figures(state):
    """A paragraph holding only an image becomes the figure state.env["figure"] draws."""
    draw, tokens = state.env.get("figure"), state.tokens
    if draw is None:
        return
    kept, at = [], 0
    while at < len(tokens):
        image = _lone_image(tokens[at : at + 3])
        if image is None:
            kept.append(tokens[at])
            at += 1
            continue
        html = draw(image.attrGet("src") or "", image.content, image.attrGet("title") or "")
        kept.append(Token("html_block", "", 0, content=html + "\n", map=tokens[at].map))
        at += 3
    state.tokens = kept


def _lone_image(tokens):
    """The image of [paragraph_open, inline, paragraph_close] when it is all the paragraph
    holds; None otherwise."""
    if [t.type for t in tokens] != ["paragraph_open", "inline", "paragraph_close"]:
        return None
    parts = [
        t
        for t in tokens[1].children or ()
        if t.type != "softbreak" and not (t.type == "text" and not t.content.strip())
    ]
    return parts[0] if len(parts) == 1 and parts[0].type == "image" else None


def _images_as_links(state):
    """Each image becomes a link to it named by its alt text (inside a link: the alt text)."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children, in_link = [], 0
        for token in block.children:
            in_link += {"link_open": 1, "link_close": -1}.get(token.type, 0)
            if token.type != "image":
                children.append(token)
                continue
            source, title = token.attrGet("src") or "", token.attrGet("title")
            alt = Token("text", "", 0, content=token.content)
            if in_link:
                children.append(alt)
                continue
            opening = Token("link_open", "a", 1, attrs={"href": source})
            if title:
                opening.attrSet("title", title)
            alt.content = alt.content or source
            children += [opening, alt, Token("link_close", "a", -1)]
        block.children = children


def _nesting_guard(state, start_line, end_line, silent):
    """Note blocks nested nearly as deep as the parser goes; past that it drops the text."""
    if state.level >= state.md.options["maxNesting"] - 2:
        state.env["too_deep"] = True
    return False


def _as_plain_text(text):
    """Text shown as typed, in paragraphs and lines, for what no reader would nest so deep."""
    paragraphs = (p.strip("\n") for p in re.split(r"\n\s*\n", text))
    return "\n".join(
        "<p>" + "<br>\n".join(escape(line) for line in p.splitlines()) + "</p>"
        for p in paragraphs
        if p.strip()
    )


def _parser(*, trusted):
    options = {"html": True} if trusted else {"html": False, "breaks": True}
    md = MarkdownIt("commonmark", {**options, "linkify": True}).enable("linkify")
    md.linkify.set({"fuzzy_email": False})
    # Addresses are linked in each finished run of text (the core rule); the inline rule
    # searches all the text before every "://" again, quadratic on a run of them.
    md.inline.ruler.disable("linkify")
    if trusted:
        md.enable("table")
    else:
        md.disable(["heading", "lheading"])
    md.block.ruler.before("table", "nesting_guard", _nesting_guard)
    if trusted:
        md.core.ruler.push("figures", _figures)
    md.core.ruler.push("images_as_links", _images_as_links)
    # Every address is left to bleach's protocol allow-list, which keeps the link's text and
    # drops a forbidden href, so the same rule holds for Markdown links and raw HTML.
    md.validateLink = lambda url: True
    return md


def _cleaner(*, trusted):
    rel = "noopener" if trusted else UNTRUSTED_REL
    return bleach.Cleaner(
        tags=PAPER_TAGS if trusted else COMMENT_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[_rel_filter(rel), OwnImagesOnly],
    )


_PARSERS = {True: _parser(trusted=True), False: _parser(trusted=False)}
_CLEANERS = {True: _cleaner(trusted=True), False: _cleaner(trusted=False)}


# A comment that is only words and sentences, in lines and paragraphs: nothing Markdown or
# the address finder would read, no space at a line's ends, no character but ' ' and '\n'
# that is white or a control. Most comments are such text, and their HTML is known without
# parsing (render_markdown's answer, as tests/common/test_markup_plain.py checks).
_NOT_PLAIN = re.compile(
    r"[\\`*_\[\]<>&#~|{}\x00-\x09\x0b-\x1f\x7f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    r"|//|(?i:www\.|mailto:)|\.\w|^\s|\s$|\n[ \n]*\s(?<!\n\n)|[ ]\n|\n[ ]"
    r"|(?:^|\n)(?:[-+=]|\d+[.)])"
)


def _plain_text_html(text):
    """The HTML of untrusted plain text: paragraphs, and a line break for each newline."""
    return "\n".join(
        "<p>" + "<br>\n".join(escape_text(line) for line in paragraph.split("\n")) + "</p>"
        for paragraph in re.split(r"\n\n+", text)
    )


def escape_text(text):
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def render_markdown(text, *, trusted=False, figure=None):
    """Markdown source to sanitised HTML, ready to store and show as is.

    figure: for a paper, figure(address, alt_text, caption) gives the HTML of a figure, a
    paragraph holding only an image (papers.figures.FigureDrawer).
    """
    if not trusted and text and not _NOT_PLAIN.search(text):
        return _plain_text_html(text)
    md, env = _PARSERS[trusted], {"figure": figure} if trusted else {}
    tokens = md.parse(text, env)
    html = (
        _as_plain_text(text) if env.get("too_deep") else md.renderer.render(tokens, md.options, env)
    )
    return _CLEANERS[trusted].clean(html).strip()
