"""import_wxr reads every form of export WordPress has written: WXR 1.0, 1.1 and 1.2, its
namespaces as http:// and https:// addresses, content in CDATA or escaped, optional fields
left out, names in any script; and it stops at a file that is not well-formed, saying
where, with the posts before that point imported and nothing of the broken one written."""

import contextlib
import datetime
import re
import xml.etree.ElementTree as ET

import pytest

from comments.models import Comment
from papers.models import Paper, Person, Stream
from tests.wordpress.importing import WXR, import_wxr, page
from tests.wordpress.wxr_builder import Site, author, category, comment, document, post
from wordpress.models import ImportedComment, ImportedPost

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

UTC = datetime.UTC


def at(*parts, tz=UTC):
    return datetime.datetime(*parts, tzinfo=tz)


def sections(paper):
    return [(s.heading, s.body_html) for s in paper.sections.all()]


# Every version and namespace form, CDATA or escaped: the same paper each time.

SAME_CONTENT = (
    "<p>A <em>short</em> opening &amp; a claim.</p>\n\n"
    "<h2>Findings</h2>\n<p>What we found, in brackets: ]]&gt; and ]]> alike.</p>"
)
SAME_COMMENTS = [
    comment(501, "Reader Rae", "<p>A question?</p>", date_gmt="2024-05-02 08:00:00"),
    comment(502, "Eda Editor", "An answer.", parent=501, date_gmt="2024-05-02 09:00:00"),
]


@pytest.mark.parametrize("content_as_cdata", [True, False], ids=["cdata", "escaped"])
@pytest.mark.parametrize("scheme", ["http", "https"])
@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
def test_every_version_and_namespace_form_gives_the_same_paper(
    version, scheme, content_as_cdata, tmp_path
):
    site = Site(version=version, scheme=scheme)
    if version == "1.0":
        site.authors = []  # WXR 1.0 lists no authors
    data = document(
        post(
            9,
            "One paper, any export",
            SAME_CONTENT,
            excerpt="The thesis, in the excerpt.",
            comments=SAME_COMMENTS,
            content_as_cdata=content_as_cdata,
        ),
        site=site,
    )
    assert (f'xmlns:wp="{scheme}://wordpress.org/export/{version}/"').encode() in data
    assert (f'xmlns:excerpt="{scheme}://wordpress.org/export/{version}/excerpt/"').encode() in data

    run = import_wxr(data, tmp_path=tmp_path)

    assert run.error is None, run.said
    paper = Paper.objects.get()
    assert (paper.title, paper.slug) == ("One paper, any export", "one-paper-any-export")
    assert paper.thesis == "The thesis, in the excerpt."
    assert paper.published_on == at(2024, 5, 1, 10, 0)
    assert paper.status == Paper.Status.PUBLISHED and paper.comments_open
    assert (paper.stream.slug, paper.stream.name) == ("talks", "Talks")
    assert sections(paper) == [
        ("Introduction", "<p>A <em>short</em> opening &amp; a claim.</p>"),
        ("Findings", "<p>What we found, in brackets: ]]&gt; and ]]&gt; alike.</p>"),
    ]
    first, answer = paper.comments.order_by("submitted_at")
    assert (first.name, first.body_html, first.depth) == ("Reader Rae", "<p>A question?</p>", 1)
    assert (answer.parent, answer.depth, answer.submitted_at) == (first, 2, at(2024, 5, 2, 9, 0))
    assert "Papers: 1 created" in run.out and "Comments created: 2 (2 approved)" in run.out


def test_wxr_1_0_without_an_author_list_or_cdata(tmp_path):
    """WordPress 3.0's export: the author known by login only, each category given twice
    (once without a domain), tags beside them, the post's HTML escaped in the XML."""
    run = import_wxr("wxr-1.0.xml")

    assert run.error is None, run.said
    paper = Paper.objects.get()
    assert paper.edition.name == "Harbour Studies Day"
    assert (paper.title, paper.slug) == ("Tidal moorings in three harbours", "tidal-moorings")
    assert paper.thesis == "Running lines beat fixed rings where the tide is large."
    assert paper.published_on == at(2010, 9, 13, 7, 0)
    assert sections(paper) == [
        ("Introduction", "<p>Small harbours moor boats on <em>running</em> lines.</p>"),
        ("Three harbours", "<p>We walked the quays at low water &amp; counted rings.</p>"),
    ]
    assert list(Stream.objects.values_list("slug", "name")) == [("moorings", "Moorings")]
    [author] = paper.author_list
    assert author.display_name == "mbeaulieu"  # no wp:author to give a name
    assert author.user is not None and not author.user.has_usable_password()
    assert ImportedPost.objects.get().site == "http://harbour-day.example"


def test_a_comment_without_email_url_or_gmt_date(settings):
    """The local date is read in this site's time zone; the other fields stay empty."""
    settings.TIME_ZONE = "Europe/Paris"  # UTC+2 in September
    run = import_wxr("wxr-1.0.xml")

    assert run.error is None, run.said
    [only] = Comment.objects.all()
    assert (only.name, only.email, only.website) == ("Quay walker", "", "")
    assert only.submitted_at == at(2010, 9, 13, 16, 30)  # 18:30 in Paris
    assert only.status == Comment.Status.APPROVED
    assert only.body_html == "<p>Did you count the rings at spring tides too?</p>"


def test_wxr_1_1_authors_without_ids():
    """WXR 1.1 gives authors no id: the post author's own reply is known by its address."""
    run = import_wxr("wxr-1.1.xml")

    assert run.error is None, run.said
    paper = Paper.objects.get()
    assert (paper.title, paper.thesis) == (
        "Worms after rain",
        "Worms surface to move, not to breathe.",
    )
    assert sections(paper) == [
        ("Introduction", "<p>Worms come up after rain, but not for the reason usually given.</p>"),
        ("Counting", "<p>We counted them on a marked square metre.</p>"),
    ]
    [author] = paper.author_list
    assert author.display_name == "Teodor Kowal"
    assert author.user.email == "t.kowal@soil-week.example"
    gardener, answer = paper.comments.order_by("submitted_at")
    assert (gardener.website, gardener.by_paper_author) == ("http://garden.example/", False)
    assert (answer.parent, answer.by_paper_author, answer.user) == (gardener, True, author.user)


def test_wxr_1_2_with_https_namespaces():
    run = import_wxr("wxr-1.2-https.xml")

    assert run.error is None, run.said
    paper = Paper.objects.get(slug="a-millimetre-a-year")
    assert paper.thesis == "Gravestones make good clocks for lichen growth."  # https excerpt
    assert paper.published_on == at(2024, 6, 4, 7, 30)
    assert not paper.comments_open  # comment_status closed
    assert (paper.stream.slug, paper.stream.name) == ("growth", "Growth rates")
    assert [s.heading for s in paper.sections.all()] == ["Introduction", "Dating stones"]
    mason, ivo = paper.comments.order_by("submitted_at")
    assert (mason.name, mason.submitted_at) == ("Stonemason", at(2024, 6, 4, 10, 0))
    assert ivo.parent == mason and ivo.by_paper_author
    assert "Comments are closed." in page(paper)


def test_a_draft_with_an_empty_slug_and_no_gmt_date(settings):
    settings.TIME_ZONE = "Europe/Rome"
    import_wxr("wxr-1.2-https.xml")

    draft = Paper.objects.get(title="Notes for a later talk")
    assert draft.status == Paper.Status.DRAFT
    assert draft.slug == "notes-for-a-later-talk"  # made from the title
    assert draft.thesis == ""
    # post_date_gmt 0000-00-00 00:00:00: the local date, read in this site's zone.
    assert draft.published_on == at(2024, 6, 5, 14, 45)


def test_content_escaped_inside_cdata_is_read_once(tmp_path):
    """A CDATA section holding "]]>" is split in two by the writer; the text is whole again."""
    content = "<p>Closing ]]> in text, and <code>a[b[0]]</code>.</p>"
    run = import_wxr(document(post(1, "Brackets", content)), tmp_path=tmp_path)

    assert run.error is None, run.said
    [section] = Paper.objects.get().sections.all()
    assert section.body_html == "<p>Closing ]]&gt; in text, and <code>a[b[0]]</code>.</p>"


# Names in any script.


def test_non_ascii_names_of_authors_commenters_and_categories():
    run = import_wxr("non-ascii.xml")

    assert run.error is None, run.said
    etude = Paper.objects.get(title="Étude de cas : les forums du soir")
    assert etude.edition.name == "Colloque d’été — 夏季研讨会"
    assert [p.display_name for p in etude.author_list] == ["Hélène Lefèvre-Østergård"]
    assert etude.stream.name == "Méthodes & données"
    assert etude.thesis == "Le soir, on répond plus longuement."
    søren, daria = etude.comments.order_by("submitted_at")
    assert (søren.name, daria.name, daria.parent) == ("Søren Ødegård", "Дарья Соколова", søren)
    assert søren.body_html == "<p>Très juste — même chez nous, à Århus.</p>"
    wang = Person.objects.get(display_name="王芳")
    assert wang.user is not None and not wang.user.has_usable_password()
    hanako = Comment.objects.get(paper__title="夜间论坛的方法")
    assert hanako.name == "佐藤 花子"
    html = page(etude)
    assert (
        "Søren Ødegård" in html and "Дарья Соколова" in html and "Hélène Lefèvre-Østergård" in html
    )


def test_a_percent_encoded_post_name_gives_a_readable_slug():
    import_wxr("non-ascii.xml")

    etude = Paper.objects.get(title="Étude de cas : les forums du soir")
    assert etude.slug == "etude-de-cas"  # %c3%a9tude-de-cas
    slugs = set(Paper.objects.values_list("slug", flat=True))
    assert len(slugs) == 3 and all(re.fullmatch(r"[a-z0-9-]+", slug) for slug in slugs)
    for paper in Paper.objects.all():
        assert paper.title in page(paper)


def test_categories_named_in_chinese_get_a_stream_each():
    import_wxr("non-ascii.xml")

    streams = {p.title: p.stream.name for p in Paper.objects.all()}
    assert streams == {
        "Étude de cas : les forums du soir": "Méthodes & données",
        "夜间论坛的方法": "方法",
        "夜间论坛的结果": "结果",
    }


# Files that are not well-formed: where, and what was kept.


def test_a_truncated_file_names_its_end_and_keeps_the_posts_before_it():
    lines = (WXR / "truncated.xml").read_text(encoding="utf-8").split("\n")
    run = import_wxr("truncated.xml")

    assert run.error is not None
    assert f"line {len(lines)}, column {len(lines[-1]) + 1}" in str(run.error)
    assert "not well-formed XML" in str(run.error)
    whole = Paper.objects.get()
    assert whole.title == "Whole post"
    assert [c.name for c in whole.comments.all()] == ["First Reader"]
    # Nothing of the cut-off post, not even its comment that was read whole.
    assert not Paper.objects.filter(title="Cut-off post").exists()
    assert not Comment.objects.filter(name__in=["Second Reader", "Third Reader"]).exists()
    assert list(ImportedPost.objects.values_list("wp_id", flat=True)) == [1]
    assert list(ImportedComment.objects.values_list("wp_id", flat=True)) == [11]
    assert "Papers: 1 created" in run.out


def _broken_line_and_column():
    lines = (WXR / "syntax-error.xml").read_text(encoding="utf-8").split("\n")
    [number] = [
        n for n, line in enumerate(lines, 1) if "</wp:comment_content></wp:comment_author>" in line
    ]
    start = lines[number - 1].index("</wp:comment_author>") + 1  # 1-based
    return number, range(start, start + len("</wp:comment_author>"))


def test_a_syntax_error_in_the_middle_is_reported_with_line_and_column():
    line, columns = _broken_line_and_column()
    run = import_wxr("syntax-error.xml")

    assert run.error is not None
    found = re.search(r"line (\d+), column (\d+)", str(run.error))
    assert int(found[1]) == line and int(found[2]) in columns, str(run.error)
    assert "not well-formed XML (mismatched tag)" in str(run.error)


def test_a_syntax_error_keeps_the_posts_before_it_and_nothing_of_the_broken_one():
    """Whatever the error looks like (see the test above), what was written is right."""
    with contextlib.suppress(ET.ParseError):  # the bug above: not a CommandError yet
        import_wxr("syntax-error.xml")

    assert list(Paper.objects.values_list("title", flat=True)) == ["Before the mistake"]
    assert list(Comment.objects.values_list("name", flat=True)) == ["Early Reader"]
    assert list(ImportedPost.objects.values_list("wp_id", flat=True)) == [1]
    assert list(ImportedComment.objects.values_list("wp_id", flat=True)) == [11]


# Names as WordPress stores them: HTML-escaped.


def test_names_wordpress_stored_escaped_are_read_unescaped(tmp_path):
    site = Site(
        authors=[author(2, "editor", email="editor@example.org", display_name="Smith &amp; Jones")],
        categories=[category("news-events", "News &amp; Events")],
    )
    data = document(
        post(
            1,
            "Q&amp;A with the panel",
            "<p>Text.</p>",
            categories=[("news-events", "News &amp; Events")],
            comments=[comment(1, "Tom &amp; Jerry", "Both of us.")],
        ),
        site=site,
    )
    assert import_wxr(data, tmp_path=tmp_path).error is None

    paper = Paper.objects.get()
    assert paper.stream.name == "News & Events"
    assert [p.display_name for p in paper.author_list] == ["Smith & Jones"]
    assert Comment.objects.get().name == "Tom & Jerry"
    assert paper.title == "Q&A with the panel"


def test_an_edition_slug_that_is_no_slug_is_refused():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="a slug is up to 50 letters"):
        call_command("import_wxr", str(WXR / "wxr-1.2-https.xml"), "--edition", "not a slug!")
    assert not Paper.objects.exists()
