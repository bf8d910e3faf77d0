"""export_wxr then import_wxr into another edition gives the same papers and discussions,
compared field by field: papers, streams, authors in order, sections, references (one
kept as written), figure files, and every comment with its status, date, depth, author
badge and place in its thread (six deep here)."""

import datetime
from pathlib import Path

import pytest
from django.core.management import call_command

from comments.models import Comment
from comments.services import Identity, comment_build, comments_import
from papers.figures import figure_image_store
from papers.models import Edition, Paper, Person
from papers.services import paper_render
from tests.factories import make_edition, make_paper, make_person, make_stream, make_user
from tests.papers.references import GAVRILA, NASLUND
from tests.wordpress.importing import import_wxr, png

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

Status = Comment.Status
SITE = "https://colloquy.example"
PUBLISHED = datetime.datetime(2026, 3, 10, 9, 15, 30, tzinfo=datetime.UTC)
KEPT_AS_WRITTEN = "Conversation with the organisers, kept in our notes, spring of that year"


def placed(paper, *, name, body, parent=None, status=Status.APPROVED, minutes=0, user=None, **more):
    """A comment stored as an import stores it: placed under its parent however deep."""
    comment = comment_build(
        paper=paper,
        identity=Identity(
            name=name,
            email=more.pop("email", f"{name.split()[0].lower()}@example.net"),
            website=more.pop("website", ""),
            user=user,
        ),
        body=body,
        parent=parent,
        as_placed=True,
    )
    comment.status = status
    comment.submitted_at = PUBLISHED + datetime.timedelta(hours=2, minutes=minutes)
    comments_import([comment], reason="made by the round-trip test")
    return comment


@pytest.fixture
def conference(settings):
    settings.COLLOQUY_SITE_URL = SITE + "/"
    settings.TIME_ZONE = "America/Sao_Paulo"
    edition = make_edition(name="Colloquy 2026", slug="colloquy-2026", description="Talks.")
    practice = make_stream(edition, name="Practice & Theory", slug="practice", description="P.")
    method = make_stream(edition, name="Method", slug="method", description="")
    ada = make_person("Ada Ångström", user=make_user("ada"))
    bo = make_person("Bo Brennan")  # no account
    cem = make_person("Cem Yılmaz", user=make_user("cem"))
    peers = make_paper(
        stream=practice,
        authors=[cem, ada, bo],
        title="Peers online",
        slug="peers-online",
        thesis="Peers help, and say so.",
        abstract="We looked at peers in three forums.",
        published_on=PUBLISHED,
        sections=[
            (
                "Introduction",
                "Peers *matter* (Naslund et al., 2016), more than we thought.\n\n"
                '![A bar chart of replies](chart.png "Replies per forum")',
            ),
            (
                "Method",
                "We **asked** twice, as Gavrila et al. (2019) did:\n\n"
                "- in person\n- online\n\n> A quoted answer.\n\nSee `table 2` and "
                "[the data](https://data.example/peers).",
            ),
            ("Limits", "Small samples."),
        ],
        references=[
            NASLUND,
            GAVRILA,
            {"authors": "", "year": "", "title": "", "text": KEPT_AS_WRITTEN},
        ],
    )
    figure = figure_image_store(peers, "chart.png", png((80, 50), (10, 120, 90)))
    paper_render(peers)  # the figure has its file now
    draft = make_paper(
        stream=method,
        authors=[bo],
        title="Work in progress",
        slug="work-in-progress",
        thesis="Not yet.",
        status=Paper.Status.DRAFT,
        comments_open=False,
        published_on=PUBLISHED + datetime.timedelta(days=2),
        sections=[("Introduction", "Half of it.")],
    )
    # A thread six deep, statuses of every kind, an author answering.
    top = placed(
        peers, name="Zoë Ñúñez", body="Which *forums*?", website="https://z.example/?a=1&b=2"
    )
    chain = [top]
    for level in range(2, 7):
        chain.append(
            placed(
                peers,
                name=f"Reader {level}",
                body=f"Level {level}, with a [link](https://l{level}.example/).",
                parent=chain[-1],
                minutes=level,
                status=Status.PENDING if level == 4 else Status.APPROVED,
            )
        )
    answer = placed(
        peers,
        name="Ada Ångström",
        body="Three of them.",
        parent=top,
        minutes=10,
        user=ada.user,
        email="ada@example.org",
    )
    placed(peers, name="Spammer", body="Buy now.", status=Status.SPAM, minutes=11)
    placed(peers, name="Binned", body="Thrown away.", status=Status.TRASH, minutes=12)
    assert [c.depth for c in chain] == [1, 2, 3, 4, 5, 6] and answer.by_paper_author
    placed(draft, name="Early", body="On a draft.", minutes=13)
    placed(
        draft,
        name="Quoter",
        body="> quoted\n\n```\nx = 1 < 2\n```\n\n3. third first\n\nA *b* `c` **d** <3",
        parent=None,
        minutes=14,
    )
    # Text that looks like markup, in a paper's fields, its sections and a commenter's name.
    tricky = make_paper(
        stream=method,
        authors=[ada],
        title="When <details> is enough & why",
        slug="tricky",
        thesis="Use <summary> first; a < b and c > d.",
        abstract="Line one.\n\nLine two, *as written*.",
        published_on=PUBLISHED + datetime.timedelta(days=1),
        sections=[
            (
                "Q&A <and> more",
                "1986\\. A good year, said a_b_c.\n\n\\*Not emphasis\\* and 2 \\* 3.\n\n"
                "H<sub>2</sub>O and x<sup>2</sup>, "
                '<abbr title="World Health Organization">WHO</abbr>.\n\n'
                "```\ncode block <b>\n```\n\n1. first\n2. second",
            ),
        ],
        references=[
            {
                "authors": "Okafor, N.",
                "year": "2020",
                "date_detail": "March 3",
                "title": "A talk online",
                "url": "https://talks.example/okafor",
            }
        ],
    )
    placed(tricky, name="Tom & <Jerry>", body="Use `<b>` for bold.\n\n# not a heading", minutes=15)
    # Hard line breaks (two spaces at the end of a line), in a section and in a comment.
    breaks = make_paper(
        stream=method,
        authors=[cem],
        title="Line breaks",
        slug="line-breaks",
        published_on=PUBLISHED + datetime.timedelta(days=3),
        sections=[("Introduction", "First line  \nsecond line of the same paragraph.")],
    )
    placed(breaks, name="Poet", body="Roses are red  \nviolets are blue", minutes=16)
    return {
        "edition": edition,
        "papers": [peers, draft],
        "tricky": tricky,
        "breaks": breaks,
        "figure": figure,
    }


@pytest.fixture
def round_trip(conference, tmp_path, settings):
    path = tmp_path / "export.xml"
    call_command("export_wxr", "--edition", "colloquy-2026", "-o", str(path))
    run = import_wxr(path, "--edition", "other", "--uploads", settings.MEDIA_ROOT)
    assert run.error is None, run.said
    other = Edition.objects.get(slug="other")

    def again(paper):
        return paper, other.papers.get(slug=paper.slug)

    return {
        "run": run,
        "pairs": [again(paper) for paper in conference["papers"]],
        "tricky": again(conference["tricky"]),
        "breaks": again(conference["breaks"]),
    }


PAPER_FIELDS = ["title", "slug", "thesis", "abstract", "status", "published_on", "comments_open"]
REFERENCE_FIELDS = ["authors", "year", "date_detail", "title", "text", "container", "volume"]
REFERENCE_FIELDS += ["issue", "pages", "doi", "url", "anchor", "position"]


def paper_fields(paper):
    return {f: getattr(paper, f) for f in PAPER_FIELDS}


def sections(paper):
    return [(s.heading, s.body_html) for s in paper.sections.all()]


def references(paper):
    return [{f: getattr(r, f) for f in REFERENCE_FIELDS} for r in paper.references.all()]


def discussion(paper):
    """Every comment in order, its parent and root given by their place in that order."""
    comments = list(paper.comments.order_by("submitted_at", "pk"))
    place = {c.pk: n for n, c in enumerate(comments)}
    fields = ["name", "email", "website", "body_html", "status", "submitted_at", "depth"]
    fields += ["by_paper_author"]
    return [
        {
            **{f: getattr(c, f) for f in fields},
            "parent": place.get(c.parent_id),
            "root": place.get(c.root_id),
        }
        for c in comments
    ]


def test_the_round_trip_makes_a_paper_for_each_paper(round_trip):
    assert Paper.objects.filter(edition__slug="other").count() == 4
    assert "Papers: 4 created, 0 updated, 0 unchanged" in round_trip["run"].out


def test_papers_come_back_field_by_field(round_trip):
    for before, after in round_trip["pairs"]:
        assert paper_fields(after) == paper_fields(before)
        assert (after.stream.name, after.stream.slug, after.stream.description) == (
            before.stream.name,
            before.stream.slug,
            before.stream.description,
        )
        assert after.stream.edition.slug == "other"


def test_authors_come_back_in_order_as_the_same_people(round_trip):
    for before, after in [*round_trip["pairs"], round_trip["tricky"], round_trip["breaks"]]:
        assert after.author_list == before.author_list
    assert [p.display_name for p in round_trip["pairs"][0][1].author_list] == [
        "Cem Yılmaz",
        "Ada Ångström",
        "Bo Brennan",
    ]
    assert Person.objects.count() == 3


def test_sections_come_back_with_the_same_html(round_trip):
    for before, after in [*round_trip["pairs"], round_trip["tricky"]]:
        assert sections(after) == sections(before)
    before, after = round_trip["tricky"]
    assert "<sub>2</sub>" in sections(after)[0][1] and "<abbr" in sections(after)[0][1]


def test_references_come_back_with_every_field(round_trip):
    for before, after in [*round_trip["pairs"], round_trip["tricky"]]:
        assert references(after) == references(before)
    assert (
        f"Reference not read as APA, kept as written, in 'Peers online': {KEPT_AS_WRITTEN}"
        in round_trip["run"].out
    )


def test_figures_come_back_with_the_same_file(round_trip, settings):
    before, after = round_trip["pairs"][0]
    [original] = before.figure_images.all()
    [copied] = after.figure_images.all()
    media = Path(settings.MEDIA_ROOT)
    assert (media / copied.image.name).read_bytes() == (media / original.image.name).read_bytes()
    assert "Image in" not in round_trip["run"].out


def test_comments_come_back_in_the_same_tree_with_every_field(round_trip):
    for before, after in round_trip["pairs"]:
        assert discussion(after) == discussion(before)
        assert after.comment_count == before.comment_count
    peers = round_trip["pairs"][0][1]
    depths = sorted(peers.comments.values_list("depth", flat=True))
    assert depths == [1, 1, 1, 2, 2, 3, 4, 5, 6]
    assert "Comments created: 13 (10 approved, 1 pending, 1 spam, 1 trash)" in round_trip["run"].out


def test_the_author_reply_keeps_its_author(round_trip):
    before, after = round_trip["pairs"][0]
    [answer] = after.comments.filter(by_paper_author=True)
    assert answer.user == before.comments.get(by_paper_author=True).user


# What does not come back as it was.

ANGLE_BRACKETS = (
    "ROUND TRIP: export.py writes a paper's title and thesis, and a commenter's name, as "
    "plain text (in CDATA), while importer.py reads them as HTML and strips anything "
    "tag-like (_post: clean_name(_text(post.title)), strip_tags(post.excerpt); "
    "CommentImport._values: _text(wp.author)): '{}' comes back as '{}'. WordPress keeps "
    "these fields HTML-escaped, so export should escape them (and import unescape: see "
    "test_names_wordpress_stored_escaped_are_read_unescaped)"
)


def test_a_title_and_thesis_that_look_like_markup_come_back(round_trip):
    before, after = round_trip["tricky"]
    assert paper_fields(after) == paper_fields(before)


def test_a_commenter_name_that_looks_like_markup_comes_back(round_trip):
    before, after = round_trip["tricky"]
    assert discussion(after) == discussion(before)


def test_hard_line_breaks_come_back(round_trip):
    before, after = round_trip["breaks"]
    assert "<br>" in sections(before)[0][1]
    assert sections(after) == sections(before)
    assert discussion(after) == discussion(before)
