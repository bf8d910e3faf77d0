"""The one place where Markdown becomes HTML, always through bleach's allow-list.

The site has one dialect, CommonMark (rendered by markdown-it-py, whose time grows linearly
with the input, however hostile: no backtracking over unmatched brackets, and nesting stops
at a fixed depth instead of recursing), for papers and comments alike.

Papers are trusted staff input; comments are not. Both are sanitised. For untrusted text,
raw HTML and headings are not Markdown at all (they show as typed), a line break is kept as
one, and every link gets rel="nofollow ugc noopener". Papers may also hold tables and the
HTML the allow-list keeps. Neither shows images: a Markdown image becomes a link to it whose
text is the image's alt text, so what the writer said is kept.
"""

import re

import bleach
from bleach.html5lib_shim import Filter
from django.utils.html import escape
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

COMMENT_TAGS = frozenset(
    {"a", "p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "hr"}
)
PAPER_TAGS = COMMENT_TAGS | {
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
}
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel", "class"],
    "abbr": ["title"],
    "ol": ["start"],
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
        filters=[_rel_filter(rel)],
    )


_PARSERS = {True: _parser(trusted=True), False: _parser(trusted=False)}
_CLEANERS = {True: _cleaner(trusted=True), False: _cleaner(trusted=False)}


def render_markdown(text, *, trusted=False):
    """Markdown source to sanitised HTML, ready to store and show as is."""
    md, env = _PARSERS[trusted], {}
    tokens = md.parse(text, env)
    html = (
        _as_plain_text(text) if env.get("too_deep") else md.renderer.render(tokens, md.options, env)
    )
    return _CLEANERS[trusted].clean(html).strip()
