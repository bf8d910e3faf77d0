"""export_wxr: papers, figures and comment threads as a WordPress export (WXR 1.2)."""

import datetime
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models.query import QuerySet
from django.test.utils import CaptureQueriesContext
from PIL import Image

from comments.models import Comment
from comments.services import Identity, comment_build, comments_import
from papers.apa import reference_html
from papers.figures import figure_image_store
from papers.models import Paper
from tests.factories import (
    make_comment,
    make_edition,
    make_paper,
    make_person,
    make_stream,
    make_user,
)
from tests.papers.references import NASLUND
from wordpress import export
from wordpress.export import ATTACHMENT_ID_OFFSET, export_wxr

pytestmark = pytest.mark.django_db

SITE = "https://colloquy.example"
NS = {
    "wp": "http://wordpress.org/export/1.2/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
}
PUBLISHED = datetime.datetime(2026, 4, 7, 21, 30, 5, tzinfo=datetime.UTC)
AS_WRITTEN = "Okafor & friends, a talk <b>given</b> somewhere, 2015 ]]> maybe"


@pytest.fixture(autouse=True)
def _site(settings, tmp_path):
    settings.COLLOQUY_SITE_URL = SITE + "/"
    settings.TIME_ZONE = "Europe/Helsinki"  # UTC+3 in April
    settings.MEDIA_ROOT = tmp_path


def png():
    data = io.BytesIO()
    Image.new("RGB", (2, 2), (200, 30, 30)).save(data, "PNG")
    return data.getvalue()


def wxr(edition=None):
    out = io.StringIO()
    export_wxr(out, edition=edition)
    return out.getvalue()


def parse(text):
    """The channel, read by ElementTree and, when it is installed, by lxml too."""
    data = text.encode("utf-8")
    try:
        from lxml import etree
    except ImportError:
        pass
    else:
        etree.fromstring(data, etree.XMLParser(resolve_entities=False))
    return ET.fromstring(data).find("channel")


def items(channel, post_type="post"):
    return {
        int(item.findtext("wp:post_id", namespaces=NS)): item
        for item in channel.findall("item")
        if item.findtext("wp:post_type", namespaces=NS) == post_type
    }


def comments_of(item):
    return [
        {child.tag.split("}")[1]: child.text or "" for child in comment}
        for comment in item.findall("wp:comment", NS)
    ]


def meta(item):
    return {
        m.findtext("wp:meta_key", namespaces=NS): m.findtext("wp:meta_value", namespaces=NS)
        for m in item.findall("wp:postmeta", NS)
    }


@pytest.fixture
def conference():
    """An edition of two papers (one a draft) by co-authors, with a figure, a reference kept
    as written, and comments in every status in a thread three deep, an author answering."""
    edition = make_edition(name="Colloquy 2026 — Ünïcode", description="Papers & talks.")
    practice = make_stream(edition, name="Practice & Theory", slug="practice", description="P.")
    method = make_stream(edition, name="Method", slug="method", description="")
    ada = make_person("Ada Ångström", user=make_user("ada"))
    bo = make_person("Bo Body")  # no account
    first = make_paper(
        stream=practice,
        authors=[ada, bo],
        title="Peers online",
        slug="peers-online",
        thesis="Peers help.",
        abstract="We looked at peers.",
        published_on=PUBLISHED,
        sections=[
            (
                "Introduction",
                'Peers *matter* (Naslund et al., 2016).\n\n![A chart](chart.png "Growth")',
            ),
            ("Method", "We **asked**."),
        ],
        references=[NASLUND, {"authors": "", "year": "", "title": "", "text": AS_WRITTEN}],
    )
    figure = figure_image_store(first, "chart.png", png())
    draft = make_paper(
        stream=method,
        authors=[bo],
        title="Work in progress",
        slug="wip",
        status=Paper.Status.DRAFT,
        comments_open=False,
        published_on=PUBLISHED,
    )
    at = PUBLISHED + datetime.timedelta(hours=1)
    step = datetime.timedelta(minutes=5)
    top = make_comment(
        first, submitted_at=at, name="Zoë Ñúñez", website="https://z.example/?a=1&b=2"
    )
    reply = make_comment(first, parent=top, status=Comment.Status.PENDING, submitted_at=at + step)
    deepest = make_comment(first, parent=reply, submitted_at=at + 2 * step)
    answer = make_comment(first, parent=top, user=ada.user, submitted_at=at + 3 * step)
    stranger = make_comment(first, user=make_user("reader"), submitted_at=at + 4 * step)
    spam = make_comment(first, status=Comment.Status.SPAM, submitted_at=at + 5 * step)
    trash = make_comment(first, status=Comment.Status.TRASH, submitted_at=at + 6 * step)
    on_draft = make_comment(draft, submitted_at=at)
    return {
        "edition": edition,
        "streams": (practice, method),
        "people": (ada, bo),
        "papers": (first, draft),
        "figure": figure,
        "comments": (top, reply, deepest, answer, stranger, spam, trash),
        "on_draft": on_draft,
    }


def test_export_channel_is_wordpress_shaped(conference):
    text = wxr(conference["edition"])
    assert text.startswith('<?xml version="1.0" encoding="UTF-8" ?>')
    assert (
        '<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="http://wordpress.org/export/1.2/">'
    ) in text
    channel = parse(text)
    assert channel.findtext("title") == "Colloquy 2026 — Ünïcode"
    assert channel.findtext("link") == SITE
    assert channel.findtext("description") == "Papers &amp; talks."  # as WordPress keeps it
    assert channel.findtext("pubDate").endswith(" +0000")
    assert channel.findtext("language") == "en"
    assert channel.findtext("wp:wxr_version", namespaces=NS) == "1.2"
    assert channel.findtext("wp:base_site_url", namespaces=NS) == SITE
    assert channel.findtext("wp:base_blog_url", namespaces=NS) == SITE


def test_export_without_edition_is_titled_colloquy(conference):
    channel = parse(wxr())
    assert channel.findtext("title") == "Colloquy"
    assert channel.findtext("description") == ""


def test_export_lists_each_author_once(conference):
    ada, bo = conference["people"]
    channel = parse(wxr(conference["edition"]))
    authors = [
        {child.tag.split("}")[1]: child.text or "" for child in author}
        for author in channel.findall("wp:author", NS)
    ]
    assert authors == [
        {
            "author_id": str(ada.pk),
            "author_login": "ada",
            "author_email": "ada@example.org",
            "author_display_name": "Ada Ångström",
            "author_first_name": "",
            "author_last_name": "",
        },
        {
            "author_id": str(bo.pk),
            "author_login": bo.slug,  # no account: the person's slug
            "author_email": "",
            "author_display_name": "Bo Body",
            "author_first_name": "",
            "author_last_name": "",
        },
    ]


def test_export_lists_streams_as_categories(conference):
    practice, method = conference["streams"]
    channel = parse(wxr(conference["edition"]))
    categories = [
        {child.tag.split("}")[1]: child.text or "" for child in category}
        for category in channel.findall("wp:category", NS)
    ]
    assert categories == [
        {
            "term_id": str(practice.pk),
            "category_nicename": "practice",
            "category_parent": "",
            "cat_name": "Practice &amp; Theory",  # HTML-escaped, as WordPress keeps names
            "category_description": "P.",
        },
        {
            "term_id": str(method.pk),
            "category_nicename": "method",
            "category_parent": "",
            "cat_name": "Method",
            "category_description": "",
        },
    ]


def test_export_writes_a_post_per_paper(conference):
    first, draft = conference["papers"]
    _, bo = conference["people"]
    posts = items(parse(wxr(conference["edition"])))
    assert set(posts) == {first.pk, draft.pk}
    item = posts[first.pk]
    field = lambda name: item.findtext(name, namespaces=NS)  # noqa: E731
    assert field("title") == "Peers online"
    assert field("link") == SITE + first.get_absolute_url()
    assert field("pubDate") == "Tue, 07 Apr 2026 21:30:05 +0000"
    assert field("dc:creator") == "ada"
    assert item.find("guid").get("isPermaLink") == "false"
    assert field("guid") == f"{SITE}/?p={first.pk}"
    assert field("description") == ""
    assert field("excerpt:encoded") == "Peers help."
    assert field("wp:post_date") == "2026-04-08 00:30:05"  # Helsinki
    assert field("wp:post_date_gmt") == "2026-04-07 21:30:05"
    assert field("wp:comment_status") == "open"
    assert field("wp:ping_status") == "closed"
    assert field("wp:post_name") == "peers-online"
    assert field("wp:status") == "publish"
    assert field("wp:post_parent") == "0"
    assert field("wp:menu_order") == "0"
    assert field("wp:post_type") == "post"
    assert field("wp:post_password") == ""
    assert field("wp:is_sticky") == "0"
    [category] = item.findall("category")
    assert category.attrib == {"domain": "category", "nicename": "practice"}
    assert category.text == "Practice & Theory"
    assert meta(item) == {
        "_colloquy_abstract": "We looked at peers.",
        "_colloquy_authors": json.dumps(["ada", bo.slug]),
    }


def test_export_keeps_a_draft_as_a_draft(conference):
    _, draft = conference["papers"]
    _, bo = conference["people"]
    item = items(parse(wxr(conference["edition"])))[draft.pk]
    assert item.findtext("wp:status", namespaces=NS) == "draft"
    assert item.findtext("wp:comment_status", namespaces=NS) == "closed"
    assert item.findtext("dc:creator", namespaces=NS) == bo.slug
    assert item.find("category").get("nicename") == "method"
    assert meta(item) == {"_colloquy_authors": json.dumps([bo.slug])}  # no abstract


def test_export_content_is_sections_as_heading_blocks_then_references(conference):
    first, _ = conference["papers"]
    figure = conference["figure"]
    content = items(parse(wxr()))[first.pk].findtext("content:encoded", namespaces=NS)
    image = f"{SITE}/media/{figure.image.name}"
    assert content == "\n\n".join(
        [
            '<!-- wp:heading -->\n<h2 class="wp-block-heading">Introduction</h2>\n'
            "<!-- /wp:heading -->",
            "<p>Peers <em>matter</em> (Naslund et al., 2016).</p>\n"
            f'<figure class="wp-block-image"><img src="{image}" alt="A chart">'
            "<figcaption>Growth</figcaption></figure>",
            '<!-- wp:heading -->\n<h2 class="wp-block-heading">Method</h2>\n<!-- /wp:heading -->',
            "<p>We <strong>asked</strong>.</p>",
            "<h2>References</h2>",
            f"<p>{reference_html(first.references.all()[0])}</p>",
            "<p>Okafor &amp; friends, a talk &lt;b&gt;given&lt;/b&gt; somewhere, 2015 ]]&gt; "
            "maybe</p>",
        ]
    )
    assert "#ref-" not in content  # this site's citation links stay here


def test_export_writes_a_figure_as_an_attachment_of_its_paper(conference):
    first, _ = conference["papers"]
    figure = conference["figure"]
    channel = parse(wxr(conference["edition"]))
    attachments = items(channel, "attachment")
    assert set(attachments) == {ATTACHMENT_ID_OFFSET + figure.pk}
    item = attachments[ATTACHMENT_ID_OFFSET + figure.pk]
    address = f"{SITE}/media/{figure.image.name}"
    assert item.findtext("title") == "chart.png"
    assert item.findtext("wp:attachment_url", namespaces=NS) == address
    assert item.findtext("guid") == address
    assert item.findtext("wp:post_parent", namespaces=NS) == str(first.pk)
    assert item.findtext("wp:status", namespaces=NS) == "inherit"
    assert item.findall("wp:comment", NS) == []
    # Right after its paper, so that the parent is read first.
    order = [i.findtext("wp:post_id", namespaces=NS) for i in channel.findall("item")]
    assert order.index(str(ATTACHMENT_ID_OFFSET + figure.pk)) == order.index(str(first.pk)) + 1


def test_export_writes_every_comment_with_wordpress_fields(conference):
    first, _ = conference["papers"]
    ada, _ = conference["people"]
    top, reply, deepest, answer, stranger, spam, trash = conference["comments"]
    written = comments_of(items(parse(wxr()))[first.pk])
    assert [c["comment_id"] for c in written] == [
        str(c.pk) for c in (top, reply, deepest, answer, stranger, spam, trash)
    ]
    assert written[0] == {
        "comment_id": str(top.pk),
        "comment_author": "Zoë Ñúñez",
        "comment_author_email": top.email,
        "comment_author_url": "https://z.example/?a=1&b=2",
        "comment_author_IP": "",
        "comment_date": "2026-04-08 01:30:05",
        "comment_date_gmt": "2026-04-07 22:30:05",
        "comment_content": top.body_html,
        "comment_approved": "1",
        "comment_type": "comment",
        "comment_parent": "0",
        "comment_user_id": "0",
    }
    by_id = {c["comment_id"]: c for c in written}
    assert [by_id[str(c.pk)]["comment_approved"] for c in (reply, spam, trash)] == [
        "0",
        "spam",
        "trash",
    ]
    # The thread three deep, and the author's answer under the first comment.
    assert by_id[str(reply.pk)]["comment_parent"] == str(top.pk)
    assert by_id[str(deepest.pk)]["comment_parent"] == str(reply.pk)
    assert by_id[str(answer.pk)]["comment_parent"] == str(top.pk)
    assert by_id[str(answer.pk)]["comment_user_id"] == str(ada.pk)
    assert by_id[str(stranger.pk)]["comment_user_id"] == "0"  # signed in, not an author


def test_export_gives_comments_on_a_draft(conference):
    _, draft = conference["papers"]
    written = comments_of(items(parse(wxr()))[draft.pk])
    assert [c["comment_id"] for c in written] == [str(conference["on_draft"].pk)]


def test_export_puts_a_parent_before_replies_dated_earlier(conference):
    first, _ = conference["papers"]
    top, reply, deepest, *_ = conference["comments"]
    # Dates kept from another site may put a reply (and its own reply) before its parent.
    early = top.submitted_at - datetime.timedelta(days=1)
    Comment.objects.filter(pk=reply.pk).update(submitted_at=early)
    Comment.objects.filter(pk=deepest.pk).update(submitted_at=early + datetime.timedelta(1e-3))
    order = [c["comment_id"] for c in comments_of(items(parse(wxr()))[first.pk])]
    assert order.index(str(top.pk)) < order.index(str(reply.pk)) < order.index(str(deepest.pk))
    assert len(order) == 7


def test_export_keeps_hostile_text_as_data(conference):
    first, _ = conference["papers"]
    top = conference["comments"][0]
    # (no NUL: PostgreSQL stores no NUL in text, so no comment can hold one)
    hostile_html = "<p>a ]]> b <script>alert(1)</script> \x07\x1b\ufffe end</p>"
    Comment.objects.filter(pk=top.pk).update(
        name="Zoë ]]> 李\x0c", body_html=hostile_html, website="https://x.example/]]>"
    )
    Paper.objects.filter(pk=first.pk).update(title="Peers ]]><![CDATA[ & <b>\x01", thesis="]]>")
    text = wxr()
    channel = parse(text)
    item = items(channel)[first.pk]
    assert item.findtext("title") == "Peers ]]&gt;&lt;![CDATA[ &amp; &lt;b&gt;"  # escaped
    assert item.findtext("excerpt:encoded", namespaces=NS) == "]]&gt;"
    written = comments_of(item)[0]
    assert written["comment_author"] == "Zoë ]]&gt; 李"
    assert written["comment_content"] == "<p>a ]]> b <script>alert(1)</script>  end</p>"
    assert written["comment_author_url"] == "https://x.example/]]>"
    assert "]]]]><![CDATA[>" in text


def test_export_of_an_edition_leaves_the_others_out(conference):
    other = make_stream(make_edition(), slug="elsewhere")
    carl = make_person("Carl Other")
    elsewhere = make_paper(stream=other, authors=[carl])
    make_comment(elsewhere)
    channel = parse(wxr(conference["edition"]))
    assert set(items(channel)) == {p.pk for p in conference["papers"]}
    logins = {
        a.findtext("wp:author_login", namespaces=NS) for a in channel.findall("wp:author", NS)
    }
    assert carl.slug not in logins
    nicenames = {
        c.findtext("wp:category_nicename", namespaces=NS)
        for c in channel.findall("wp:category", NS)
    }
    assert nicenames == {"practice", "method"}
    # Without --edition, everything.
    assert elsewhere.pk in items(parse(wxr()))


def test_export_queries_do_not_grow_with_comments(conference):
    first, _ = conference["papers"]

    def queries():
        with CaptureQueriesContext(connection) as captured:
            wxr(conference["edition"])
        return len(captured)

    before = queries()
    for _ in range(20):
        make_comment(first, parent=conference["comments"][2], user=conference["people"][0].user)
    assert queries() == before


class Sink:
    """A stream that keeps only what the test asks of it."""

    def __init__(self):
        self.size = self.largest = 0
        self.comments = 0

    def write(self, text):
        self.size += len(text)
        self.largest = max(self.largest, len(text))
        self.comments += text.count("<wp:comment>")


def test_export_streams_thousands_of_comments(monkeypatch):
    paper = make_paper(authors=[make_person()])
    identity = Identity(name="Reader", email="reader@example.net", website="", user=None)
    comments = [
        comment_build(paper=paper, identity=identity, body=f"Comment {n} with a few words.")
        for n in range(3000)
    ]
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    for n, comment in enumerate(comments):
        comment.status = Comment.Status.APPROVED
        comment.submitted_at = start + datetime.timedelta(seconds=n)
    comments_import(comments, reason="made by a test")

    iterated = []
    iterator = QuerySet.iterator

    def spy(self, chunk_size=None):
        iterated.append((self.model, chunk_size))
        return iterator(self, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", spy)
    sink = Sink()
    counts = export_wxr(sink)
    assert (counts.papers, counts.comments, counts.figures) == (1, 3000, 0)
    assert sink.comments == 3000
    assert (Comment, export.COMMENT_CHUNK) in iterated and export.COMMENT_CHUNK < 3000
    assert (Paper, export.PAPER_CHUNK) in iterated
    assert sink.largest < sink.size / 100  # written a comment at a time, not all at once


def test_command_writes_the_file_and_a_summary(conference, tmp_path):
    path = tmp_path / "out.xml"
    err = io.StringIO()
    out = io.StringIO()
    call_command(
        "export_wxr",
        "--edition",
        conference["edition"].slug,
        "-o",
        str(path),
        stdout=out,
        stderr=err,
    )
    assert out.getvalue() == ""
    assert not (tmp_path / "out.xml.partial").exists()
    channel = parse(path.read_text(encoding="utf-8"))
    assert len(items(channel)) == 2
    assert "2 paper(s), 8 comment(s) and 1 figure(s)" in err.getvalue()


def test_command_writes_to_standard_output(conference):
    out, err = io.StringIO(), io.StringIO()
    call_command("export_wxr", stdout=out, stderr=err)
    assert len(items(parse(out.getvalue()))) == 2
    assert "2 paper(s)" in err.getvalue()


def test_command_refuses_an_unknown_edition(conference, tmp_path):
    with pytest.raises(CommandError, match="No edition with the slug 'nope'"):
        call_command("export_wxr", "--edition", "nope", "-o", str(tmp_path / "x.xml"))
    assert list(tmp_path.glob("x.xml*")) == []


def test_export_keeps_a_deleted_comments_place_as_trash_without_words(conference):
    from comments.services import comment_remove

    first, _ = conference["papers"]
    top, reply, *_ = conference["comments"]
    comment_remove(top, reason="erased at its poster's request")
    by_id = {c["comment_id"]: c for c in comments_of(items(parse(wxr()))[first.pk])}
    placeholder = by_id[str(top.pk)]
    assert placeholder["comment_approved"] == "trash"
    assert placeholder["comment_author"] == placeholder["comment_content"] == ""
    assert placeholder["comment_author_email"] == ""
    assert by_id[str(reply.pk)]["comment_parent"] == str(top.pk)
