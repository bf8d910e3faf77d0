"""Reading a WordPress export (WXR 1.0, 1.1 and 1.2) as it streams in.

The file is fed to Python's expat-based pull parser a chunk at a time; each author,
category and post is handed on as soon as its element ends and is then dropped from the
tree, and each comment is turned into a small record as soon as it ends, so memory holds one
post at a time however large the export. Namespaces are matched by what they are, not by
their exact address: WordPress has written its own as http:// and https://, for 1.0, 1.1
and 1.2. A file that is not well-formed XML stops the reading with its line and column; a
post is only handed on once all of it has been read, so nothing of a broken post is used.
"""

import datetime
import email.utils
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from django.utils import timezone

CHUNK = 1 << 20
NO_DATE = "0000-00-00 00:00:00"
_DECLARATIONS = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


class WXRError(Exception):
    """The file cannot be read as a WordPress export; says where when it knows."""

    def __init__(self, message, line=None, column=None):
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(where + message)
        self.line, self.column = line, column


@dataclass
class Channel:
    title: str = ""
    link: str = ""
    description: str = ""
    base_site_url: str = ""
    wxr_version: str = ""

    @property
    def site(self):
        """The site's address, which keys what an import made (wordpress.models)."""
        address = self.base_site_url or self.link or "unknown"
        return address.strip().rstrip("/")[:200]


@dataclass
class Author:
    id: int | None
    login: str
    email: str
    display_name: str
    first_name: str = ""
    last_name: str = ""

    @property
    def name(self):
        full = f"{self.first_name} {self.last_name}".strip()
        return self.display_name.strip() or full or self.login


@dataclass
class Category:
    nicename: str
    name: str
    description: str = ""


@dataclass
class WPComment:
    id: int
    author: str
    email: str
    url: str
    date: datetime.datetime
    content: str
    approved: str
    type: str
    parent: int
    user_id: int


@dataclass
class Post:
    id: int
    title: str
    type: str
    status: str
    name: str
    creator: str
    content: str
    excerpt: str
    date: datetime.datetime | None
    comment_status: str
    categories: list = field(default_factory=list)  # (nicename, name)
    meta: dict = field(default_factory=dict)
    comments: list = field(default_factory=list)  # WPComment


_PREFIXES = {}


def _prefix(uri):
    """The prefix WordPress's exporter gives a namespace, whichever form of it the file uses."""
    if uri not in _PREFIXES:
        bare = re.sub(r"^https?://", "", uri).rstrip("/")
        if bare.startswith("wordpress.org/export/"):
            prefix = "excerpt" if bare.endswith("/excerpt") else "wp"
        elif bare.startswith("purl.org/rss/1.0/modules/content"):
            prefix = "content"
        elif bare.startswith("purl.org/dc/elements"):
            prefix = "dc"
        else:
            prefix = bare
        _PREFIXES[uri] = prefix
    return _PREFIXES[uri]


def _name(tag):
    """ "wp:post_id" for "{http://wordpress.org/export/1.2/}post_id"; plain names as they are."""
    if tag[0] != "{":
        return tag
    uri, local = tag[1:].split("}", 1)
    return f"{_prefix(uri)}:{local}"


def _int(text):
    try:
        return int((text or "0").strip() or 0)
    except ValueError:
        return 0


def _date(gmt, local, rfc822=""):
    """The moment from WordPress's GMT date, else its local one (read in this site's time
    zone), else the RSS pubDate; None when there is none (a draft never published)."""
    for text, zone in ((gmt, datetime.UTC), (local, None)):
        text = (text or "").strip()
        if text and text != NO_DATE:
            try:
                moment = datetime.datetime.fromisoformat(text)
            except ValueError:
                continue
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=zone) if zone else timezone.make_aware(moment)
            return moment
    try:
        return email.utils.parsedate_to_datetime(rfc822) if rfc822.strip() else None
    except (TypeError, ValueError):
        return None


def _fields(element):
    return {_name(child.tag): child.text or "" for child in element}


def _author(element):
    values = _fields(element)
    return Author(
        id=_int(values["wp:author_id"]) if values.get("wp:author_id") else None,
        login=values.get("wp:author_login", "").strip(),
        email=values.get("wp:author_email", "").strip(),
        display_name=values.get("wp:author_display_name", ""),
        first_name=values.get("wp:author_first_name", ""),
        last_name=values.get("wp:author_last_name", ""),
    )


def _category(element):
    values = _fields(element)
    return Category(
        nicename=values.get("wp:category_nicename", "").strip(),
        name=values.get("wp:cat_name", ""),
        description=values.get("wp:category_description", ""),
    )


def _comment(element):
    values = _fields(element)
    return WPComment(
        id=_int(values.get("wp:comment_id")),
        author=values.get("wp:comment_author", ""),
        email=values.get("wp:comment_author_email", "").strip(),
        url=values.get("wp:comment_author_url", "").strip(),
        date=_date(values.get("wp:comment_date_gmt"), values.get("wp:comment_date")),
        content=values.get("wp:comment_content", ""),
        approved=values.get("wp:comment_approved", "1").strip(),
        type=values.get("wp:comment_type", "").strip(),
        parent=_int(values.get("wp:comment_parent")),
        user_id=_int(values.get("wp:comment_user_id")),
    )


def _post(element, comments):
    values, categories, meta = {}, [], {}
    for child in element:
        name = _name(child.tag)
        if name == "category":
            if child.get("domain", "category") == "category":
                categories.append((child.get("nicename", "").strip(), child.text or ""))
        elif name == "wp:postmeta":
            pair = _fields(child)
            meta[pair.get("wp:meta_key", "")] = pair.get("wp:meta_value", "")
        else:
            values[name] = child.text or ""
    return Post(
        id=_int(values.get("wp:post_id")),
        title=values.get("title", ""),
        type=values.get("wp:post_type", "post").strip() or "post",
        status=values.get("wp:status", "publish").strip(),
        name=values.get("wp:post_name", "").strip(),
        creator=values.get("dc:creator", "").strip(),
        content=values.get("content:encoded", ""),
        excerpt=values.get("excerpt:encoded", ""),
        date=_date(
            values.get("wp:post_date_gmt"), values.get("wp:post_date"), values.get("pubDate", "")
        ),
        comment_status=values.get("wp:comment_status", "open").strip(),
        categories=categories,
        meta=meta,
        comments=comments,
    )


CHANNEL_FIELDS = {
    "title": "title",
    "link": "link",
    "description": "description",
    "wp:base_site_url": "base_site_url",
    "wp:wxr_version": "wxr_version",
}


def read_wxr(stream, *, progress=None):
    """Yield the Channel, then each Author, Category and Post of the export, in file order.

    stream: a binary file. progress(bytes_read) is called after each chunk. Raises
    WXRError for a file that is not a WordPress export or not well-formed XML.
    """
    parser = ET.XMLPullParser(events=("start", "end"))
    stack, channel, comments = [], Channel(), []
    announced = started = False
    read = 0
    while True:
        chunk = stream.read(CHUNK)
        if not started and _DECLARATIONS.search(chunk[:65536]):
            raise WXRError("the file declares a DTD or entities, which no WordPress export does")
        started = True
        for event, element in _events(parser, chunk):
            if event == "start":
                stack.append(element)
                if len(stack) == 1 and element.tag != "rss":
                    raise WXRError(
                        f"this is not a WordPress export (it starts with <{element.tag}>)"
                    )
                continue
            stack.pop()
            depth, name = len(stack), _name(element.tag)
            if depth == 3 and name == "wp:comment" and _name(stack[-1].tag) == "item":
                comments.append(_comment(element))
                stack[-1].remove(element)
            elif depth == 2:
                if name in CHANNEL_FIELDS:
                    setattr(channel, CHANNEL_FIELDS[name], (element.text or "").strip())
                elif name in ("wp:author", "wp:category", "item"):
                    if not announced:
                        announced = True
                        yield channel
                    if name == "wp:author":
                        yield _author(element)
                    elif name == "wp:category":
                        yield _category(element)
                    else:
                        post, comments = _post(element, comments), []
                        yield post
                stack[-1].remove(element)
        if progress is not None:
            read += len(chunk)
            progress(read)
        if not chunk:
            break
    if not announced:
        if stack or (not channel.title and not channel.base_site_url):
            raise WXRError("this is not a WordPress export (no channel was found)")
        yield channel


def _events(parser, chunk):
    """The parser's events for the next chunk (the end, when it is empty). A syntax error
    comes after the events before it (the pull parser queues it), as a WXRError."""
    try:
        if chunk:
            parser.feed(chunk)
        else:
            parser.close()
        yield from parser.read_events()
    except ET.ParseError as error:
        line, column = error.position
        reason = f"the file is not well-formed XML ({_reason(error)})"
        raise WXRError(reason, line, column + 1) from None


def _reason(error):
    return re.sub(r": line \d+, column \d+$", "", str(error))
