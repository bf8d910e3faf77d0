"""Colloquy's papers, figures and comments as a WordPress export (WXR 1.2).

The file is the kind WordPress's own exporter writes (Tools → Export), so that WordPress's
importer reads it, and so does import_wxr, back to the same papers and threads:

- a `wp:author` for each person authoring an exported paper (id: the person's pk; login: the
  username of their account, or their slug when they have none), and a `wp:category` for each
  stream (id: the stream's pk; nicename: its slug);
- an `item` per paper, drafts included (post id: the paper's pk), whose content is the
  paper as WordPress would hold it: each section a heading block followed by its Markdown
  rendered anew (figures drawn as image blocks with the file's full address, citations not
  linked), then "References", one paragraph per reference. The thesis is the excerpt;
  the abstract and the byline's logins are post meta (_colloquy_abstract, _colloquy_authors);
- after each paper, an attachment item per stored figure image (post id: ATTACHMENT_ID_OFFSET
  plus the FigureImage's pk, so it never collides with a paper's; parent: the paper);
- in the paper's item, a `wp:comment` per comment in every status (comment id: its pk),
  in the order they were submitted, a parent always before its replies. comment_user_id is
  the pk of the person who wrote it when they are an author of the paper, 0 otherwise.

It is written as it is read: papers and comments come from the database in chunks and each is
written before the next is read, so an edition of any size is never held in memory.
"""

import email.utils
import json
import re
from dataclasses import dataclass
from datetime import UTC
from xml.sax.saxutils import escape, quoteattr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import slugify

from comments.models import Comment
from common.markup import render_markdown
from common.site import absolute_url
from papers.apa import reference_html
from papers.figures import figure_drawer
from papers.models import Paper, Person, Stream

WXR_VERSION = "1.2"
NAMESPACES = (
    'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:wp="http://wordpress.org/export/1.2/"'
)
# A figure image's post id is this plus its pk: WordPress's posts and attachments share ids,
# and this keeps them clear of the papers'.
ATTACHMENT_ID_OFFSET = 10**9
PAPER_CHUNK = 50
COMMENT_CHUNK = 2000

WP_STATUS = {Paper.Status.PUBLISHED: "publish", Paper.Status.DRAFT: "draft"}
WP_APPROVED = {
    Comment.Status.APPROVED: "1",
    Comment.Status.PENDING: "0",
    Comment.Status.SPAM: "spam",
    Comment.Status.TRASH: "trash",
    # The place of a comment taken away while replies stand under it (no words, no name):
    # WordPress has no such status, and keeps a trashed parent's replies where they are.
    Comment.Status.DELETED: "trash",
}
COMMENT_FIELDS = (
    "id",
    "parent_id",
    "parent__submitted_at",
    "name",
    "email",
    "website",
    "submitted_at",
    "body_html",
    "status",
    "user__person__id",
)

# What XML 1.0 cannot hold at all, even in CDATA: C0 controls but tab and line breaks,
# lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass
class ExportCounts:
    papers: int = 0
    comments: int = 0
    figures: int = 0


def xml_text(text):
    return _NOT_XML.sub("", str(text))


def cdata(text):
    """Text as WordPress writes it: in CDATA, a "]]>" inside split across two sections."""
    return "<![CDATA[" + xml_text(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _data(name, text):
    return f"<{name}>{cdata(text)}</{name}>"


def _text(name, text):
    """Plain text as WordPress stores a title or a name: HTML-escaped ("Q&amp;A"), so that a
    title that looks like markup stays text there, and comes back here as it was."""
    return _data(name, escape(str(text)))


def _plain(name, text):
    return f"<{name}>{escape(xml_text(text))}</{name}>"


def _local(moment):
    """WordPress's post_date and comment_date: the site's local time."""
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).strftime("%Y-%m-%d %H:%M:%S")


def _gmt(moment):
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _rfc822(moment):
    return email.utils.format_datetime(moment.astimezone(UTC))  # "Tue, 07 Apr 2026 ... +0000"


def login(person):
    """The WordPress login a person is exported under (person.user must be loaded)."""
    return person.user.username if person.user_id else person.slug


def export_wxr(out, *, edition=None):
    """Write the papers (those of `edition` if given, else all) to the text stream `out`.

    Returns how many papers, comments and figure images were written.
    """
    papers = Paper.objects.all()
    if edition is not None:
        papers = papers.filter(edition=edition)
    counts = ExportCounts()
    out.write(_channel_head(edition))
    for person in (
        Person.objects.filter(authorships__paper__in=papers)
        .distinct()
        .select_related("user")
        .order_by("pk")
        .iterator(chunk_size=PAPER_CHUNK)
    ):
        out.write(_author(person))
    for stream in Stream.objects.filter(papers__in=papers).distinct().order_by("pk"):
        out.write(_category(stream))
    out.write("\n")
    for paper in (
        papers.select_related("edition", "stream")
        .prefetch_related("authorships__person__user", "sections", "references", "figure_images")
        .order_by("pk")
        .iterator(chunk_size=PAPER_CHUNK)
    ):
        counts.comments += _write_paper(out, paper)
        counts.papers += 1
        for image in paper.figure_images.all():
            out.write(_attachment(paper, image))
            counts.figures += 1
    out.write("</channel>\n</rss>\n")
    return counts


def _channel_head(edition):
    site = settings.COLLOQUY_SITE_URL.rstrip("/")
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8" ?>',
            "<!-- This is a WordPress eXtended RSS file generated by Colloquy as an export of "
            "its papers and their comments. -->",
            f'<rss version="2.0" {NAMESPACES}>',
            "<channel>",
            "\t" + _text("title", edition.name if edition else "Colloquy"),
            "\t" + _plain("link", site),
            "\t" + _text("description", edition.description if edition else ""),
            "\t" + _plain("pubDate", _rfc822(timezone.now())),
            "\t" + _plain("language", settings.LANGUAGE_CODE),
            "\t" + _plain("wp:wxr_version", WXR_VERSION),
            "\t" + _plain("wp:base_site_url", site),
            "\t" + _plain("wp:base_blog_url", site),
            "",
            "",
        ]
    )


def _author(person):
    return (
        "\t<wp:author>"
        + _plain("wp:author_id", person.pk)
        + _data("wp:author_login", login(person))
        + _data("wp:author_email", person.user.email if person.user_id else "")
        + _text("wp:author_display_name", person.display_name)
        + _data("wp:author_first_name", "")
        + _data("wp:author_last_name", "")
        + "</wp:author>\n"
    )


def _category(stream):
    return (
        "\t<wp:category>"
        + _plain("wp:term_id", stream.pk)
        + _data("wp:category_nicename", stream.slug)
        + _data("wp:category_parent", "")
        + _text("wp:cat_name", stream.name)
        + _text("wp:category_description", stream.description)
        + "</wp:category>\n"
    )


def paper_content(paper):
    """The paper's body as WordPress would hold it: a heading block per section, then its
    Markdown as HTML, then the references."""
    figure = figure_drawer(paper, numbered=False)  # one per paper: it counts the figures
    parts = []
    for section in paper.sections.all():
        parts.append(
            format_html(
                '<!-- wp:heading -->\n<h2 class="wp-block-heading">{}</h2>\n<!-- /wp:heading -->',
                section.heading,
            )
        )
        parts.append(render_markdown(section.body, trusted=True, figure=figure))
    references = paper.references.all()
    if references:
        parts.append("<h2>References</h2>")
        parts.extend(format_html("<p>{}</p>", reference_html(r)) for r in references)
    return "\n\n".join(parts)


def _post(**fields):
    """The post fields every item has, in the order WordPress writes them."""
    return [
        _plain("wp:post_id", fields["post_id"]),
        _data("wp:post_date", _local(fields["date"])),
        _data("wp:post_date_gmt", _gmt(fields["date"])),
        _data("wp:comment_status", fields["comment_status"]),
        _data("wp:ping_status", "closed"),
        _data("wp:post_name", fields["name"]),
        _data("wp:status", fields["status"]),
        _plain("wp:post_parent", fields.get("parent", 0)),
        _plain("wp:menu_order", 0),
        _data("wp:post_type", fields["type"]),
        _data("wp:post_password", ""),
        _plain("wp:is_sticky", 0),
    ]


def _meta(key, value):
    return f"<wp:postmeta>{_data('wp:meta_key', key)}{_data('wp:meta_value', value)}</wp:postmeta>"


def _write_paper(out, paper):
    """Write the paper's item, its comments inside it; returns how many comments."""
    authors = paper.author_list
    logins = [login(person) for person in authors]
    lines = [
        "\t<item>",
        _text("title", paper.title),
        _plain("link", absolute_url(paper.get_absolute_url())),
        _plain("pubDate", _rfc822(paper.published_on)),
        _data("dc:creator", logins[0] if logins else ""),
        '<guid isPermaLink="false">' + escape(absolute_url(f"/?p={paper.pk}")) + "</guid>",
        "<description></description>",
        _data("content:encoded", paper_content(paper)),
        _text("excerpt:encoded", paper.thesis),
        *_post(
            post_id=paper.pk,
            date=paper.published_on,
            comment_status="open" if paper.comments_open else "closed",
            name=paper.slug,
            status=WP_STATUS[paper.status],
            type="post",
        ),
        f'<category domain="category" nicename={quoteattr(xml_text(paper.stream.slug))}>'
        + cdata(paper.stream.name)
        + "</category>",
    ]
    if paper.abstract:
        lines.append(_meta("_colloquy_abstract", paper.abstract))
    lines.append(_meta("_colloquy_authors", json.dumps(logins)))
    out.write("\n\t\t".join(lines) + "\n")
    author_ids = {person.pk for person in authors}
    count = 0
    for comment in _in_thread_order(paper):
        out.write(_comment(comment, author_ids))
        count += 1
    out.write("\t</item>\n")
    return count


def _in_thread_order(paper):
    """The paper's comments as dicts of COMMENT_FIELDS, in submitted order, read in chunks.

    A reply stored as submitted before its parent (dates kept from another site can say so)
    waits for its parent, so that each parent comes before its replies; only such replies
    are held.
    """
    rows = (
        Comment.objects.filter(paper=paper)
        .order_by("submitted_at", "id")
        .values(*COMMENT_FIELDS)
        .iterator(chunk_size=COMMENT_CHUNK)
    )
    waiting, held = {}, set()  # parent id: replies that came before it; their ids

    def release(row):
        ready = [row]
        while ready:
            comment = ready.pop()
            held.discard(comment["id"])
            yield comment
            ready.extend(reversed(waiting.pop(comment["id"], ())))

    for row in rows:
        parent, parent_at = row["parent_id"], row["parent__submitted_at"]
        if parent in held or (
            parent_at is not None and (parent_at, parent) > (row["submitted_at"], row["id"])
        ):
            waiting.setdefault(parent, []).append(row)
            held.add(row["id"])
        else:
            yield from release(row)
    for parent in [p for p in waiting if p not in held]:  # a parent on another paper
        for row in waiting.pop(parent, ()):
            yield from release(row)


def _comment(comment, author_ids):
    person = comment["user__person__id"]
    fields = [
        _plain("wp:comment_id", comment["id"]),
        _text("wp:comment_author", comment["name"]),
        _data("wp:comment_author_email", comment["email"]),
        _data("wp:comment_author_url", comment["website"]),
        _data("wp:comment_author_IP", ""),
        _data("wp:comment_date", _local(comment["submitted_at"])),
        _data("wp:comment_date_gmt", _gmt(comment["submitted_at"])),
        _data("wp:comment_content", comment["body_html"]),
        _data("wp:comment_approved", WP_APPROVED[comment["status"]]),
        _data("wp:comment_type", "comment"),
        _plain("wp:comment_parent", comment["parent_id"] or 0),
        _plain("wp:comment_user_id", person if person in author_ids else 0),
    ]
    return "\t\t<wp:comment>\n\t\t\t" + "\n\t\t\t".join(fields) + "\n\t\t</wp:comment>\n"


def _attachment(paper, image):
    address = absolute_url(image.image.url)
    authors = paper.author_list
    lines = [
        "\t<item>",
        _data("title", image.name),
        _plain("link", address),
        _plain("pubDate", _rfc822(paper.published_on)),
        _data("dc:creator", login(authors[0]) if authors else ""),
        '<guid isPermaLink="false">' + escape(xml_text(address)) + "</guid>",
        "<description></description>",
        _data("content:encoded", ""),
        _data("excerpt:encoded", ""),
        *_post(
            post_id=ATTACHMENT_ID_OFFSET + image.pk,
            date=paper.published_on,
            comment_status="closed",
            name=slugify(image.name) or f"figure-{image.pk}",
            status="inherit",
            parent=paper.pk,
            type="attachment",
        ),
        _data("wp:attachment_url", address),
    ]
    return "\n\t\t".join(lines) + "\n\t</item>\n"
