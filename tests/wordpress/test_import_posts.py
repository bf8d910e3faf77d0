"""import_wxr and posts: a Gutenberg post and a classic-editor post become papers with their
sections, references and figures (copied from --uploads and served by this site, or kept as
links and reported); hostile HTML never reaches a page; and a post that fails is left out
alone, named in the summary, the others imported."""

import io

import pytest
from django.test import Client
from PIL import Image

import wordpress.importer
from comments.models import Comment
from papers.models import FigureImage, Paper, Person, Reference, Section
from tests.wordpress.importing import (
    import_wxr,
    page,
    png,
    soup,
    unsafe_markup,
    uploads_dir,
)
from tests.wordpress.wxr_builder import Site, author, comment, document, post
from wordpress.models import ImportedComment, ImportedPost

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

FORUM = "https://forum-research.example"
CHART = f"{FORUM}/wp-content/uploads/2024/05/chart.png"
TIMELINE = f"{FORUM}/wp-content/uploads/2024/05/timeline.png"
SCAN = f"{FORUM}/wp-content/uploads/2024/05/scan.png"  # written as /wp-content/... in the post
CHART_SIZE, TIMELINE_SIZE = (120, 80), (90, 45)


def reference_fields(paper):
    fields = ["authors", "year", "date_detail", "title", "container", "volume", "issue"]
    fields += ["pages", "doi", "url", "text"]
    return [{f: getattr(r, f) for f in fields if getattr(r, f)} for r in paper.references.all()]


@pytest.fixture
def uploads(tmp_path):
    """A copy of the site's wp-content/uploads, without scan.png."""
    return uploads_dir(
        tmp_path / "wp-content" / "uploads",
        {
            "2024/05/chart.png": png(CHART_SIZE, (200, 40, 40)),
            "2024/05/timeline.png": png(TIMELINE_SIZE, (40, 160, 60)),
            "2024/05/unrelated.png": png(),
        },
    )


# A Gutenberg post.


def test_a_gutenberg_post_becomes_sections_at_its_headings():
    run = import_wxr("gutenberg.xml")

    assert run.error is None, run.said
    paper = Paper.objects.get()
    assert (paper.title, paper.slug) == ("Replies that heal", "replies-that-heal")
    assert paper.thesis == "Peer replies do work that clinic visits cannot."
    assert (paper.stream.slug, paper.stream.name) == ("health-forums", "Health forums")
    assert paper.stream.description == "Patients talking to patients"
    assert [p.display_name for p in paper.author_list] == ["Chidi Okonkwo"]
    intro, method, coding = paper.sections.all()
    assert [s.heading for s in (intro, method, coding)] == [
        "Introduction",
        "Method",
        "Coding the replies",  # an <h3> starts a section too
    ]
    assert intro.body_html == (
        "<p>Patients answer one another in ways clinicians rarely do "
        '(<a class="citation" href="#ref-lindqvist-2021">Lindqvist &amp; Okonkwo, 2021</a>).</p>'
    )
    assert "We read <strong>412</strong> threads" in method.body_html
    assert coding.body_html == "<ul>\n<li>supportive</li>\n<li>informative</li>\n</ul>"
    assert "wp:" not in "".join(s.body for s in paper.sections.all())  # block comments gone


def test_a_gutenberg_reference_list_is_read_as_apa_and_an_unread_line_kept():
    run = import_wxr("gutenberg.xml")

    paper = Paper.objects.get()
    assert reference_fields(paper) == [
        {
            "authors": "Lindqvist, P., & Okonkwo, C.",
            "year": "2021",
            "title": "Talking back to the clinic",
            "container": "Journal of Imagined Care",
            "volume": "12",
            "issue": "3",
            "pages": "45–61",
            "doi": "10.5555/jic.2021.12",
        },
        {
            "authors": "Varga, T.",
            "year": "2019",
            "title": "Forums and their keepers",
            "container": "Placeholder Press",
        },
        {"text": "Hallway conversations at the 2023 meeting, notes kept by the chair"},
    ]
    assert (
        "Reference not read as APA, kept as written, in 'Replies that heal': "
        "Hallway conversations at the 2023 meeting, notes kept by the chair"
    ) in run.out
    assert "References" not in [s.heading for s in paper.sections.all()]
    html = page(paper)
    assert "Hallway conversations at the 2023 meeting, notes kept by the chair" in html
    assert 'href="#ref-varga-2019"' in html  # "Varga (2019)" is linked to its reference


def test_without_uploads_a_figure_is_a_link_and_reported():
    run = import_wxr("gutenberg.xml")

    paper = Paper.objects.get()
    method = paper.sections.get(heading="Method")
    assert method.body.endswith(
        f'![Bar chart of replies per thread](<{CHART}> "Replies per thread, by forum")'
    )
    figure = soup(method.body_html).find("figure")
    assert figure["id"] == "figure-1"
    assert figure.a["href"] == CHART and figure.a.get_text() == "Bar chart of replies per thread"
    assert figure.figcaption.get_text(" ", strip=True) == "Figure 1. Replies per thread, by forum"
    assert FigureImage.objects.count() == 0
    assert (
        f"Image in 'Replies that heal': {CHART}: no --uploads directory was given; kept as a link"
    ) in run.out
    assert not soup(page(paper)).select("article img")


# A classic-editor post.


def test_a_classic_post_keeps_its_paragraphs_line_breaks_and_h3_sections():
    run = import_wxr("classic.xml")

    assert run.error is None, run.said
    paper = Paper.objects.get()
    assert (paper.title, paper.thesis) == ("Reviewing in public", "")
    intro, measured = paper.sections.all()
    assert (intro.heading, measured.heading) == ("Introduction", "What we measured")
    first_paragraph = soup(intro.body_html).p
    assert str(first_paragraph) == (
        "<p>Peer review done in public is slower, and <em>better</em> "
        '(<a class="citation" href="#ref-haddad-2020">Haddad, 2020</a>).<br/>\n'
        "It also leaves a record.</p>"
    )
    assert "Time to the first response, and the number of rounds." in measured.body_html


def test_a_caption_shortcode_becomes_a_figure_with_its_caption():
    import_wxr("classic.xml")

    intro = Section.objects.get(heading="Introduction")
    assert "[caption" not in intro.body and "[/caption]" not in intro.body
    assert intro.body.endswith(
        f'![Timeline of review rounds](<{TIMELINE}> "Review rounds over six months")'
    )
    figure = soup(intro.body_html).find("figure")
    assert figure.figcaption.get_text(" ", strip=True) == "Figure 1. Review rounds over six months"
    # A relative address is made the site's.
    measured = Section.objects.get(heading="What we measured")
    assert f"![A scanned review form](<{SCAN}>)" in measured.body
    assert soup(measured.body_html).find("figure")["id"] == "figure-2"


def test_a_classic_bibliography_is_read_one_paragraph_at_a_time():
    run = import_wxr("classic.xml")

    assert reference_fields(Paper.objects.get()) == [
        {
            "authors": "Haddad, R.",
            "year": "2020",
            "title": "Open review at scale",
            "container": "Invented Review Quarterly",
            "volume": "8",
            "pages": "1–20",
        },
        {
            "authors": "Brennan, S., & Ito, K.",
            "year": "2018",
            "title": "Reading over shoulders",
            "container": "Imaginary University Press",
        },
        {"text": "see also: the reviewers' own blog posts, passim"},
    ]
    assert "kept as written, in 'Reviewing in public': see also:" in run.out


def test_a_classic_bibliography_one_reference_per_line(tmp_path):
    """Single newlines (a line break each, in the classic editor) part references too."""
    content = (
        "Text (Haddad, 2020; Brennan &amp; Ito, 2018).\n\n<h3>References</h3>\n"
        "Haddad, R. (2020). Open review at scale. <em>Invented Review Quarterly</em>, 8, 1–20.\n"
        "Brennan, S., &amp; Ito, K. (2018). <em>Reading over shoulders</em>. A Press."
    )
    import_wxr(document(post(1, "Lines", content)), tmp_path=tmp_path)

    refs = Paper.objects.get().references.all()
    assert [(r.authors, r.year) for r in refs] == [
        ("Haddad, R.", "2020"),
        ("Brennan, S., & Ito, K.", "2018"),
    ]


# Figures copied from --uploads.


def test_with_uploads_figures_are_copied_and_served_from_this_site(uploads, media_root):
    for name in ("gutenberg.xml", "classic.xml"):
        run = import_wxr(name, "--uploads", uploads)
        assert run.error is None, run.said

    stored = {f.name: f for f in FigureImage.objects.all()}
    assert set(stored) == {CHART, TIMELINE}
    client = Client()
    for address, size in ((CHART, CHART_SIZE), (TIMELINE, TIMELINE_SIZE)):
        figure = stored[address]
        assert (media_root / figure.image.name).is_file()
        html = page(figure.paper, client)
        srcs = [img["src"] for img in soup(html).select("figure.figure img")]
        assert srcs == [figure.image.url] and figure.image.url.startswith("/media/figures/")
        response = client.get(figure.image.url)
        assert response.status_code == 200
        served = Image.open(io.BytesIO(b"".join(response.streaming_content)))
        assert served.size == size
        assert unsafe_markup(html) == []
    # The image without a file: still a link, and said.
    assert (
        f"Image in 'Reviewing in public': {SCAN}: not found in the uploads directory; "
        "kept as a link"
    ) in run.out
    assert "chart.png" not in run.out  # copied: nothing to say
    scan = soup(Section.objects.get(heading="What we measured").body_html).find("figure")
    assert scan.a["href"] == SCAN and scan.img is None


def test_an_uploaded_file_that_is_no_image_is_kept_as_a_link(tmp_path):
    uploads = uploads_dir(
        tmp_path / "wp-content" / "uploads", {"2024/05/chart.png": b"<html>not a picture"}
    )
    run = import_wxr("gutenberg.xml", "--uploads", uploads)

    assert run.error is None, run.said
    assert FigureImage.objects.count() == 0
    [line] = [line for line in run.out.splitlines() if line.startswith("Image in")]
    assert line.startswith(f"Image in 'Replies that heal': {CHART}: ")
    assert line.endswith("; kept as a link")


def test_a_figure_address_never_reads_outside_the_uploads(tmp_path):
    (tmp_path / "secret.png").write_bytes(png())
    uploads = uploads_dir(tmp_path / "site" / "uploads", {"2024/05/other.png": png()})
    content = (
        '<p><img src="/wp-content/uploads/%2e%2e/%2e%2e/secret.png" alt="a"></p>'
        '<p><img src="https://elsewhere.example/wp-content/uploads/../../../secret.png" alt="b">'
        "</p>"
    )
    run = import_wxr(document(post(1, "Escape", content)), "--uploads", uploads, tmp_path=tmp_path)

    assert run.error is None, run.said
    assert FigureImage.objects.count() == 0
    assert run.out.count("not found in the uploads directory; kept as a link") == 2


def test_the_upload_option_needs_a_directory(tmp_path):
    run = import_wxr("gutenberg.xml", "--uploads", tmp_path / "nowhere")
    assert "no such directory" in str(run.error)
    assert Paper.objects.count() == 0


# Hostile HTML in a post.


@pytest.fixture
def hostile_paper():
    run = import_wxr("hostile.xml")
    assert run.error is None, run.said
    return Paper.objects.get()


def test_hostile_html_in_a_post_is_not_stored(hostile_paper):
    for section in hostile_paper.sections.all():
        assert unsafe_markup(section.body_html) == [], section.body_html
        for word in ("<script", "onerror", "onclick", "onmouseover", "<iframe", "<style"):
            assert word not in section.body_html.lower()
        assert "EVIL script" not in section.body_html and "EVIL style" not in section.body_html
    assert "<" not in hostile_paper.title and "<" not in hostile_paper.thesis


def test_hostile_html_in_a_post_never_reaches_the_page(hostile_paper):
    html = page(hostile_paper)
    assert unsafe_markup(html) == []
    article = soup(html).find("article")
    assert not article.find_all("img")  # an image of another site is a link, never loaded
    evil = [a for a in article.find_all("a") if "evil.example" in a.get("href", "")]
    assert [a["href"] for a in evil] == ["https://evil.example/EVIL.png"]


def test_allowed_html_in_a_post_survives(hostile_paper):
    html = "".join(s.body_html for s in hostile_paper.sections.all())
    assert "<em>emphasis</em>" in html and "<strong>strong words</strong>" in html
    assert '<a href="https://markup.example/reading"' in html
    assert "<code>print(&quot;hello&quot;)</code>" in html
    assert "<ul>\n<li>first point</li>\n<li>second point</li>\n</ul>" in html
    assert "<ol>\n<li>step one</li>\n<li>step two</li>\n</ol>" in html
    assert "<blockquote>\n<p>A quoted sentence stays quoted.</p>\n</blockquote>" in html
    assert "<p>A paragraph with a handler.</p>" in html
    headings = [s.heading for s in hostile_paper.sections.all()]
    assert headings == ["Introduction", "A heading with a handler"]


def test_a_javascript_link_keeps_only_its_words(hostile_paper):
    html = "".join(s.body_html for s in hostile_paper.sections.all())
    comments = "".join(c.body_html for c in Comment.objects.all())
    assert "javascript:" not in html.lower() and "javascript:" not in comments.lower()
    assert "<p>a javascript link and another</p>" in html
    assert "<p>Hello there.</p>" in comments


# A post that fails.


def three_posts(*, same_author=False):
    site = Site(
        authors=[
            author(1, "ama", email="ama@example.org", display_name="Ama Owusu"),
            author(2, "bert", email="bert@example.org", display_name="Bert Lind"),
            author(3, "cleo", email="cleo@example.org", display_name="Cleo Ruiz"),
        ]
    )
    creators = ["ama", "bert", "bert"] if same_author else ["ama", "bert", "cleo"]
    titles = ["First", "Broken", "Third"]
    return document(
        *(
            post(
                n,
                title,
                f"<p>{title} text.</p><h2>More</h2><p>More.</p><h2>References</h2>"
                "<p>Ruiz, C. (2020). A title. A Press.</p>",
                creator=creator,
                comments=[
                    comment(n * 10, "Reader", f"On {title}."),
                    comment(n * 10 + 1, "Other", "Hm.", parent=n * 10),
                ],
            )
            for n, (title, creator) in enumerate(zip(titles, creators, strict=True), 1)
        ),
        site=site,
    )


@pytest.fixture
def broken_render(monkeypatch):
    """paper_render fails for the paper titled "Broken" (as a bug in it would)."""
    render = wordpress.importer.paper_render

    def failing(paper):
        if paper.title == "Broken":
            raise RuntimeError("the renderer gave up")
        return render(paper)

    monkeypatch.setattr(wordpress.importer, "paper_render", failing)


@pytest.mark.django_db(transaction=True)
def test_a_broken_post_leaves_the_others_imported_and_is_named(tmp_path, broken_render):
    run = import_wxr(three_posts(), tmp_path=tmp_path)

    assert str(run.error) == "1 post(s) failed; the others were imported"
    assert (
        "Post 2 ('Broken') failed and was not imported: RuntimeError: the renderer gave up"
    ) in run.err
    assert sorted(Paper.objects.values_list("title", flat=True)) == ["First", "Third"]
    # Nothing of the broken post: no paper, sections, references, comments, id maps, author.
    assert Section.objects.filter(paper__title="Broken").count() == 0
    assert Section.objects.count() == 4 and Reference.objects.count() == 2
    assert sorted(Comment.objects.values_list("body", flat=True)) == [
        "Hm.",
        "Hm.",
        "On First.",
        "On Third.",
    ]
    assert sorted(ImportedPost.objects.values_list("wp_id", flat=True)) == [1, 3]
    assert sorted(ImportedComment.objects.values_list("wp_id", flat=True)) == [10, 11, 30, 31]
    assert not Person.objects.filter(display_name="Bert Lind").exists()


@pytest.mark.django_db(transaction=True)
def test_a_broken_post_is_imported_by_the_next_run_once_it_is_mended(
    tmp_path, broken_render, monkeypatch
):
    import_wxr(three_posts(), tmp_path=tmp_path)
    monkeypatch.undo()

    run = import_wxr(three_posts(), tmp_path=tmp_path)

    assert run.error is None, run.said
    assert "Papers: 1 created, 0 updated, 2 unchanged" in run.out
    assert Paper.objects.count() == 3 and Comment.objects.count() == 6


def test_a_broken_post_does_not_take_its_authors_next_post_with_it(tmp_path, broken_render):
    run = import_wxr(three_posts(same_author=True), tmp_path=tmp_path)

    assert str(run.error) == "1 post(s) failed; the others were imported", run.said
    assert sorted(Paper.objects.values_list("title", flat=True)) == ["First", "Third"]
    assert [p.display_name for p in Paper.objects.get(title="Third").author_list] == ["Bert Lind"]


def doubled_comment_id():
    """A hand-merged export gives two comments of a post the same id: that post cannot be
    imported as WordPress had it."""
    return document(
        post(1, "Fine", "<p>Fine.</p>", comments=[comment(7, "A", "One.")]),
        post(
            2,
            "Doubled",
            "<p>Doubled.</p>",
            comments=[comment(8, "B", "Two."), comment(8, "C", "Three.")],
        ),
    )


def test_the_summary_counts_only_what_was_written(tmp_path):
    run = import_wxr(doubled_comment_id(), tmp_path=tmp_path)

    assert "Papers: 1 created, 0 updated, 0 unchanged" in run.out, run.out
    assert "Comments created: 1 (1 approved)" in run.out, run.out


@pytest.mark.django_db(transaction=True)
def test_a_post_repeating_a_comment_id_fails_alone(tmp_path):
    run = import_wxr(doubled_comment_id(), tmp_path=tmp_path)

    assert str(run.error) == "1 post(s) failed; the others were imported"
    assert "Post 2 ('Doubled') failed and was not imported: IntegrityError" in run.err
    assert list(Paper.objects.values_list("title", flat=True)) == ["Fine"]
    assert list(Comment.objects.values_list("body", flat=True)) == ["One."]


def test_a_line_break_written_as_br_stays_one_line_break(tmp_path):
    content = "<p>Line one<br />\nline two.</p>"
    data = document(post(1, "Breaks", content, comments=[comment(1, "Poet", "Red<br />\nblue")]))
    import_wxr(data, tmp_path=tmp_path)

    [section] = Section.objects.all()
    assert section.body_html == "<p>Line one<br>\nline two.</p>"
    assert Comment.objects.get().body_html == "<p>Red<br>\nblue</p>"
