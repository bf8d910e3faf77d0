"""Citing a paper: one CSL-JSON item built from its data, and the formats written from it
(BibTeX, RIS, the APA 7 reference). The APA text is written here by hand (no CSL processor):
a paper of an edition is cited as a paper in its proceedings, "In <edition>"."""

import json
import re

from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from common.names import PARTICLES, name_as_shown
from common.site import absolute_url


def name_parts(display_name):
    """{"family", "given"} of a display name (as shown: common.names): the last word is the
    family name, with the particles written before it ("van Beethoven, L.", not
    "Beethoven, L. v."), the rest
    the given names; a single word is a family name."""
    words = display_name.split()
    if len(words) <= 1:
        return {"family": display_name.strip(), "given": ""}
    start = len(words) - 1
    while start > 1 and words[start - 1] in PARTICLES:
        start -= 1
    return {"family": " ".join(words[start:]), "given": " ".join(words[:start])}


def paper_csl(paper, authors):
    """The paper as a CSL-JSON item (https://citationstyles.org/): authors in order."""
    published = timezone.localdate(paper.published_on)  # the day the page shows
    item = {
        "id": f"{paper.edition.slug}-{paper.slug}",
        "type": "paper-conference",
        "title": paper.title,
        "author": [name_parts(name_as_shown(person.display_name)) for person in authors],
        "issued": {"date-parts": [[published.year, published.month, published.day]]},
        "container-title": paper.edition.name,
        "event-title": paper.edition.name,
        "URL": absolute_url(paper.get_absolute_url()),
    }
    doi = getattr(paper, "doi", "")  # papers have no DOI yet: written when they do
    if doi:
        item["DOI"] = doi
    if paper.abstract:
        item["abstract"] = paper.abstract
    return item


def _year(item):
    return item["issued"]["date-parts"][0][0]


def _full_name(author):
    return " ".join(part for part in (author["given"], author["family"]) if part)


# BibTeX: its special characters written so that they stay text.
_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",  # \{ would unbalance the braces BibTeX counts
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_SPECIAL = re.compile(r"[\\{}&%$#_~^]")


def bibtex_escape(text):
    return _BIBTEX_SPECIAL.sub(lambda match: _BIBTEX_ESCAPES[match.group()], " ".join(text.split()))


def _bibtex_key(item):
    first = item["author"][0]["family"] if item["author"] else "paper"
    word = re.sub(r"[^A-Za-z0-9]", "", first) or "paper"
    slug = re.sub(r"[^A-Za-z0-9]", "", item["id"])[:40]
    return f"{word}{_year(item)}{slug}"


def _bibtex_author(author):
    family = "{" + bibtex_escape(author["family"]) + "}"  # braced: read whole, as written
    given = re.sub(r"\band\b", "{and}", bibtex_escape(author["given"]), flags=re.IGNORECASE)
    return f"{family}, {given}" if given else family  # a given "and" braced: not a separator


def bibtex(item):
    """The item as a BibTeX @inproceedings entry."""
    fields = []
    if item["author"]:
        fields.append(("author", " and ".join(_bibtex_author(a) for a in item["author"])))
    fields += [
        ("title", "{" + bibtex_escape(item["title"]) + "}"),  # its capitals kept
        ("booktitle", bibtex_escape(item["container-title"])),
        ("year", str(_year(item))),
        ("url", item["URL"]),  # slugs: nothing to escape
    ]
    if "DOI" in item:
        fields.append(("doi", item["DOI"]))
    if "abstract" in item:
        fields.append(("abstract", bibtex_escape(item["abstract"])))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@inproceedings{{{_bibtex_key(item)},\n{body}\n}}\n"


def _ris_value(text):
    return " ".join(str(text).split())  # one line each


def _ris_author(author):
    return f"{author['family']}, {author['given']}" if author["given"] else author["family"]


def ris(item):
    """The item as an RIS record (CPAPER: conference proceeding)."""
    year, month, day = item["issued"]["date-parts"][0]
    lines = [("TY", "CPAPER")]
    lines += [("AU", _ris_value(_ris_author(a))) for a in item["author"]]
    lines += [
        ("TI", _ris_value(item["title"])),
        ("T2", _ris_value(item["container-title"])),
        ("PY", str(year)),
        ("DA", f"{year:04d}/{month:02d}/{day:02d}"),
        ("UR", item["URL"]),
    ]
    if "DOI" in item:
        lines.append(("DO", item["DOI"]))
    if "abstract" in item:
        lines.append(("AB", _ris_value(item["abstract"])))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}\n" for tag, value in lines)


def _initials(given):
    """APA initials: "Mary Ann" → "M. A.", "Jean-Paul" → "J.-P."."""
    words = []
    for word in given.split():
        parts = [part[:1].upper() + "." for part in word.split("-") if part]
        words.append("-".join(parts))
    return " ".join(words)


def apa_author(author):
    initials = _initials(author["given"])
    return f"{author['family']}, {initials}" if initials else author["family"]


def apa_authors(authors):
    """APA 7's author element: "A", "A, & B", "A, B, & C"; 21 or more: the first 19, an
    ellipsis, the last."""
    names = [apa_author(a) for a in authors]
    if len(names) > 20:
        return ", ".join(names[:19]) + ", . . . " + names[-1]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + ", & " + names[-1]


def _sentence(text):
    text = " ".join(text.split())
    return text if text.endswith((".", "?", "!")) else text + "."


def _apa_parts(item):
    authors = apa_authors(item["author"])
    head = f"{_sentence(authors)} ({_year(item)})." if authors else ""
    link = f"https://doi.org/{item['DOI']}" if "DOI" in item else item["URL"]
    return head, _sentence(item["title"]), item["container-title"], link


def apa(item):
    """The APA 7 reference as plain text (a paper in its edition's proceedings)."""
    head, title, container, link = _apa_parts(item)
    if not head:  # no author: the title moves to the author's place
        return f"{title} ({_year(item)}). In {container}. {link}"
    return f"{head} {title} In {container}. {link}"


def apa_html(item):
    """The APA 7 reference as HTML, the proceedings' title in italics."""
    head, title, container, link = _apa_parts(item)
    if not head:
        return format_html("{} ({}). In <i>{}</i>. {}", title, _year(item), container, link)
    return format_html("{} {} In <i>{}</i>. {}", head, title, container, link)


# What json_script escapes, so that the data cannot close its <script> element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def paper_json_ld(item, *, description, author_urls):
    """schema.org ScholarlyArticle of the item, as a <script type="application/ld+json">
    (data, not code: the CSP's script-src does not apply to it)."""
    year, month, day = item["issued"]["date-parts"][0]
    data = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": item["title"],
        "name": item["title"],
        "author": [
            {"@type": "Person", "name": _full_name(author), "url": url}
            for author, url in zip(item["author"], author_urls, strict=True)
        ],
        "datePublished": f"{year:04d}-{month:02d}-{day:02d}",
        "url": item["URL"],
        "description": description,
        "isPartOf": {"@type": "Book", "name": item["container-title"]},
    }
    if "abstract" in item:
        data["abstract"] = item["abstract"]
    if "DOI" in item:
        data["sameAs"] = f"https://doi.org/{item['DOI']}"
    text = json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


class PaperCitation:
    """What a paper page shows to cite the paper, read only when drawn (the page's cached
    article and head need none of it)."""

    def __init__(self, paper, authors):
        self.paper, self.authors = paper, authors

    @cached_property
    def item(self):
        return paper_csl(self.paper, self.authors)

    @cached_property
    def author_names(self):
        return [_full_name(author) for author in self.item["author"]]

    def apa(self):
        return apa(self.item)

    def apa_html(self):
        return apa_html(self.item)

    def date(self):
        year, month, day = self.item["issued"]["date-parts"][0]
        return f"{year:04d}/{month:02d}/{day:02d}"

    def iso_date(self):
        year, month, day = self.item["issued"]["date-parts"][0]
        return f"{year:04d}-{month:02d}-{day:02d}"

    def json_ld(self):
        urls = [absolute_url(person.get_absolute_url()) for person in self.authors]
        return paper_json_ld(self.item, description=self.paper.thesis, author_urls=urls)
