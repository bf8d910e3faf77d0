"""WordPress HTML as Colloquy's Markdown: a post's body as sections, references and figures,
and a comment's text.

WordPress keeps what its editors wrote: Gutenberg's HTML between block comments
(`<!-- wp:heading -->`), or the classic editor's text whose blank lines are paragraphs and
whose newlines are line breaks (wpautop adds the <p> and <br> when a page is shown), with
`[caption]` shortcodes around images. Both are read here into Markdown, the one format
papers and comments are stored in; rendering that Markdown passes it through the same
sanitiser as everything else (common.markup), so nothing an export holds runs on a page.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from markdownify import MarkdownConverter

from common.markup import ALLOWED_PROTOCOLS
from papers.apa import ReferenceSyntaxError, parse_reference
from papers.models import Reference

SECTION_HEADINGS = ("h1", "h2", "h3")
REFERENCE_HEADINGS = {"references", "reference list", "bibliography", "works cited", "sources"}
# Elements whose content is never part of the paper's text.
DROPPED = [
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "form",
    "input",
    "button",
    "select",
    "textarea",
    "noscript",
    "template",
    "svg",
    "math",
    "canvas",
    "audio",
    "video",
    "head",
    "title",
    "meta",
    "link",
]
# Wrappers that mean nothing once the page is ours (Gutenberg's groups and columns).
UNWRAPPED = ("div", "section", "article", "main", "header", "footer", "aside", "center")
BLOCK_TAGS = (
    "address|article|aside|blockquote|center|dd|details|div|dl|dt|figcaption|figure|footer|"
    "form|h[1-6]|header|hr|li|main|nav|ol|p|pre|section|table|tbody|td|tfoot|th|thead|tr|ul"
)
_BLOCK_START = re.compile(rf"^\s*(?:<!--|<(?:{BLOCK_TAGS})\b)", re.IGNORECASE)
_AROUND_BLOCKS = re.compile(rf"(<(?:{BLOCK_TAGS})\b[^>]*>|</(?:{BLOCK_TAGS})>)", re.IGNORECASE)
_CAPTION = re.compile(r"\[caption([^\]]*)\](.*?)\[/caption\]", re.IGNORECASE | re.DOTALL)
_CAPTION_ATTRIBUTE = re.compile(r'caption="([^"]*)"', re.IGNORECASE)
_IMAGE_OR_LINKED_IMAGE = re.compile(
    r"^\s*(<a\b[^>]*>\s*<img\b[^>]*>\s*</a>|<img\b[^>]*>)(.*)$", re.S
)
_FIGURE_MARK = "ZQFIGURE{}ZQ"
_FIGURE_MARK_LINE = re.compile(r"^ZQFIGURE(\d+)ZQ$", re.MULTILINE)

# Markdown's own characters in text that must stay text. markdownify's escape_misc escapes
# far more than CommonMark needs; this is what changes the meaning of a line.
_MARKDOWN_CHARACTERS = re.compile(r"([\\`*_\[\]<|]|&(?=#?\w+;))")
_AT_LINE_START = re.compile(
    r"(^|\n)([ \t]*)"
    r"(>|#{1,6}(?=\s|$)|[-+](?=\s|$)|(?:=+|-{2,})(?=[ \t]*(?:\n|$))|~{3,}|\d{1,9}(?=[.)](?:\s|$)))"
)


def markdown_escaped(text):
    """Text that Markdown shows as it is: its syntax characters escaped."""
    text = _MARKDOWN_CHARACTERS.sub(r"\\\1", text)
    return _AT_LINE_START.sub(lambda m: f"{m[1]}{m[2]}{_escape_first(m[3])}", text)


def _escape_first(marker):
    """A list number keeps its digits and has the full stop after it escaped: 1\\."""
    return marker + "\\" if marker[0].isdigit() else "\\" + marker


class _Markdown(MarkdownConverter):
    """markdownify, writing the Markdown common.markup reads best: ATX headings, "-" lists,
    <sub>, <sup> and <abbr> kept as the HTML papers may hold, text escaped as needed."""

    def __init__(self):
        super().__init__(heading_style="ATX", bullets="-", escape_misc=False, autolinks=True)

    def escape(self, text, parent_tags):
        if not text:
            return ""
        text = _MARKDOWN_CHARACTERS.sub(r"\\\1", text)
        text = re.sub(r"(^|\s)(>|#{1,6}(?=\s|$)|[-+](?=\s|$)|=+(?=\s|$)|~{3,})", r"\1\\\2", text)
        return re.sub(r"((?:^|\s)\d{1,9})([.)](?:\s|$))", r"\1\\\2", text)

    def _kept(self, el, text, parent_tags):
        if "_inline" not in parent_tags and not text.strip():
            return text
        attributes = ""
        if el.name == "abbr" and el.get("title"):
            title = str(el["title"]).replace("&", "&amp;").replace('"', "&quot;")
            attributes = f' title="{title}"'
        return f"<{el.name}{attributes}>{text}</{el.name}>"

    convert_sub = convert_sup = convert_abbr = _kept


_converter = _Markdown()


@dataclass
class Figure:
    address: str
    alt: str
    caption: str

    def as_markdown(self):
        alt = _MARKDOWN_CHARACTERS.sub(r"\\\1", " ".join(self.alt.split()))
        caption = " ".join(self.caption.split()).replace("\\", "\\\\").replace('"', '\\"')
        address = self.address.replace("<", "%3C").replace(">", "%3E").replace("\n", "")
        title = f' "{caption}"' if caption else ""
        return f"![{alt}](<{address}>{title})"


@dataclass
class PostBody:
    sections: list = field(default_factory=list)  # (heading, markdown)
    references: list = field(default_factory=list)  # dicts of Reference fields
    unread_references: list = field(default_factory=list)  # texts kept as written
    figures: list = field(default_factory=list)  # Figure, in order


def _captions_as_figures(html):
    """The classic editor's [caption]<img> Text[/caption] as a <figure> with its caption."""

    def figure(match):
        attributes, inner = match[1], match[2]
        image = _IMAGE_OR_LINKED_IMAGE.match(inner)
        if not image:
            return inner
        caption = image[2].strip()
        if not caption and (named := _CAPTION_ATTRIBUTE.search(attributes)):
            caption = named[1]
        return f"\n\n<figure>{image[1]}<figcaption>{caption}</figcaption></figure>\n\n"

    return _CAPTION.sub(figure, html)


def autop(text):
    """WordPress's wpautop, simplified: text between blank lines becomes a paragraph and a
    newline in it a line break; what starts with a block element (or a block comment) is
    left as it is."""
    text = _AROUND_BLOCKS.sub(r"\n\n\1\n\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    chunks = [chunk.strip() for chunk in re.split(r"\n\s*\n", text)]
    return "\n".join(
        chunk if _BLOCK_START.match(chunk) else f"<p>{_line_breaks(chunk)}</p>"
        for chunk in chunks
        if chunk
    )


_ENDS_WITH_BREAK = re.compile(r"<br\s*/?>\s*$", re.IGNORECASE)


def _line_breaks(paragraph):
    """A break for each newline of a paragraph, but one already written as <br />."""
    lines = paragraph.split("\n")
    return "\n".join(
        line if at == len(lines) - 1 or _ENDS_WITH_BREAK.search(line) else line + "<br>"
        for at, line in enumerate(lines)
    )


def _soup(html):
    soup = BeautifulSoup(html, "html.parser")
    for node in soup.find_all(string=lambda s: isinstance(s, Comment)):
        node.extract()
    for tag in soup.find_all(DROPPED):
        tag.decompose()
    for tag in soup.find_all(UNWRAPPED):
        tag.unwrap()
    for link in soup.find_all("a"):
        if not _is_safe_address(link.get("href") or ""):
            link.unwrap()  # its words stay; the address (javascript:, data:...) goes
    return soup


def _is_safe_address(address):
    """http(s), mailto, or an address on the same site (relative, or a fragment)."""
    scheme = re.match(r"\s*([a-zA-Z][a-zA-Z0-9+.-]*):", address)
    return scheme is None or scheme[1].lower() in ALLOWED_PROTOCOLS


def _top_block(tag, soup):
    while tag.parent is not None and tag.parent is not soup:
        tag = tag.parent
    return tag


def _lift_figures(soup):
    """Each image becomes a paragraph of its own, after the block it was in: a figure.

    Returns the figures; the paragraph holds a mark that _markdown replaces with the image.
    """
    figures = []
    for image in soup.find_all("img"):
        if image.parent is None:  # removed with an earlier figure
            continue
        holder = image.find_parent("figure")
        caption = ""
        if holder is not None:
            caption_tag = holder.find("figcaption")
            caption = caption_tag.get_text(" ", strip=True) if caption_tag else ""
        elif image.parent.name == "a" and not image.parent.get_text(strip=True):
            holder = image.parent
        else:
            holder = image
        figures.append(
            Figure(
                address=str(image.get("src") or "").strip(),
                alt=str(image.get("alt") or ""),
                caption=caption,
            )
        )
        mark = soup.new_tag("p")
        mark.string = _FIGURE_MARK.format(len(figures) - 1)
        block = _top_block(holder, soup)
        if block is holder:
            holder.replace_with(mark)
        else:
            holder.extract()
            block.insert_after(mark)
            if not block.get_text(strip=True) and not block.find("img"):
                block.extract()
    return figures


def _markdown(nodes, figures):
    html = "".join(str(node) for node in nodes)
    text = _converter.convert_soup(BeautifulSoup(html, "html.parser")).strip()
    return _FIGURE_MARK_LINE.sub(lambda m: figures[int(m[1])].as_markdown(), text)


def _heading(tag):
    return " ".join(tag.get_text(" ", strip=True).split())


def _reference_texts(nodes):
    """One text per reference: a paragraph, list item or line (the classic editor writes a
    list of references as lines of one paragraph)."""
    lines = []
    for node in nodes:
        if isinstance(node, NavigableString):
            lines += str(node).split("\n")
            continue
        items = node.find_all("li") if node.name in ("ol", "ul") else [node]
        for item in items:
            for br in item.find_all("br"):
                br.replace_with("\n")
            lines += item.get_text().split("\n")
    return [" ".join(line.split()) for line in lines if line.strip()]


def _fits(parts):
    """Whether every part of a read reference fits its field (else it is kept as written)."""
    return all(
        len(value) <= Reference._meta.get_field(name).max_length
        for name, value in parts.items()
        if Reference._meta.get_field(name).max_length
    )


def post_body(html, *, base=""):
    """A post's HTML as Colloquy's sections (split at h1-h3 headings; what comes before the
    first is the introduction), its references (a part headed "References" or the like) and
    its figures, whose addresses are made absolute against the site's (base)."""
    soup = _soup(autop(_captions_as_figures(html or "")))
    body = PostBody()
    body.figures = _lift_figures(soup)
    for figure in body.figures:
        if figure.address and base:
            figure.address = urljoin(base + "/", figure.address)
    heading, nodes, parts = "Introduction", [], []
    for node in list(soup.children):
        if isinstance(node, Tag) and node.name in SECTION_HEADINGS:
            parts.append((heading, nodes))
            heading, nodes = _heading(node) or "Section", []
        else:
            nodes.append(node)
    parts.append((heading, nodes))
    for heading, nodes in parts:
        if heading.lower().rstrip(":") in REFERENCE_HEADINGS:
            for text in _reference_texts(nodes):
                try:
                    parts = parse_reference(text)
                except ReferenceSyntaxError:
                    parts = None
                if parts is not None and _fits(parts):
                    body.references.append(parts)
                else:
                    body.unread_references.append(text)
            continue
        markdown = _markdown(nodes, body.figures)
        if markdown or heading != "Introduction":
            body.sections.append((heading, markdown))
    return body


_PLAIN = re.compile(r"[<&]")


def comment_markdown(html):
    """A WordPress comment's text as Markdown: plain text kept as written (escaped where
    Markdown would read it otherwise), HTML converted."""
    text = (html or "").replace("\r\n", "\n").replace("\r", "\n")
    if not _PLAIN.search(text):
        lines = "\n".join(line.strip() for line in text.strip().split("\n"))
        return markdown_escaped(re.sub(r"\n{3,}", "\n\n", lines))
    return _converter.convert_soup(_soup(autop(text))).strip()
