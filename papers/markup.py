"""The one place where Markdown becomes HTML, always through bleach's allow-list.

Papers are trusted staff input; comments are not. Both are sanitised. For untrusted text,
raw HTML and headings are not Markdown at all (they show as typed), and every link gets
rel="nofollow ugc noopener". Neither shows images: a Markdown image becomes a link to it whose
text is the image's alt text, so what the writer said is kept.
"""

from functools import partial

import bleach
import markdown
from bleach.linkifier import LinkifyFilter
from markdown.treeprocessors import Treeprocessor

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
    "th": ["align"],
    "td": ["align"],
}

UNTRUSTED_REL = "nofollow ugc noopener"


def _set_rel(rel, attrs, new=False):
    href = attrs.get((None, "href"), "")
    if not href.startswith("#"):
        attrs[(None, "rel")] = rel
    return attrs


class ImagesAsLinks(Treeprocessor):
    """Each <img> becomes <a href="its src">its alt text</a> (inside a link: the alt text)."""

    def run(self, root):
        self._replace(root, in_link=False)

    def _replace(self, element, *, in_link):
        for child in element:
            if child.tag != "img":
                self._replace(child, in_link=in_link or child.tag == "a")
                continue
            source, alt, title = child.get("src", ""), child.get("alt", ""), child.get("title")
            child.attrib.clear()
            if in_link:
                # A link in a link is not HTML: bleach strips this <span> and keeps its text.
                child.tag, child.text = "span", alt
                continue
            child.tag, child.text = "a", alt or source
            child.set("href", source)
            if title:
                child.set("title", title)


def _markdown(text, *, trusted):
    md = markdown.Markdown(
        extensions=["extra", "sane_lists"] if trusted else ["sane_lists", "nl2br", "fenced_code"],
        output_format="html",
    )
    # After the inline patterns (20) have made the images, before unescaping (0).
    md.treeprocessors.register(ImagesAsLinks(md), "images_as_links", 15)
    if not trusted:
        # Raw HTML shows as the text that was typed; "# x" stays a line of text.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.parser.blockprocessors.deregister("hashheader")
        md.parser.blockprocessors.deregister("setextheader")
    return md.convert(text)


def _cleaner(*, trusted):
    rel = "noopener" if trusted else UNTRUSTED_REL
    return bleach.Cleaner(
        tags=PAPER_TAGS if trusted else COMMENT_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[partial(LinkifyFilter, callbacks=[partial(_set_rel, rel)], parse_email=False)],
    )


_CLEANERS = {True: _cleaner(trusted=True), False: _cleaner(trusted=False)}


def render_markdown(text, *, trusted=False):
    """Markdown source to sanitised HTML, ready to store and show as is."""
    return _CLEANERS[trusted].clean(_markdown(text, trusted=trusted))
