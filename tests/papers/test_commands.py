"""Management commands: check_citations and load_demo."""

import io
import tomllib
from pathlib import Path

import pytest
from django.core.management import call_command

from comments.models import Comment
from papers.models import Edition, Paper, Person, Reference, Section, Stream
from tests.factories import make_edition, make_paper, make_stream

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[2] / "demo" / "content"
NASLUND = {
    "authors": "Naslund, J. A., & Bartels, S. J.",
    "year": "2016",
    "title": "Peer support on invented platforms",
    "container": "Journal of Invented Studies",
    "volume": "25",
}
TAN = {"authors": "Tan, Y.", "year": "2021", "title": "A reference nobody cites"}


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# check_citations


def test_check_citations_prints_problems_and_exits_1():
    paper = make_paper(
        title="Paper with problems",
        sections=[("Body", "As said (Okafor, 2015, p. 7) and (Naslund et al., 2016).")],
        references=[NASLUND, TAN],
    )
    out = io.StringIO()
    with pytest.raises(SystemExit) as raised:
        call_command("check_citations", stdout=out)
    assert raised.value.code == 1
    assert out.getvalue().splitlines() == [
        f"Paper with problems ({paper.get_absolute_url()})",
        "  unmatched citation in 'Body': (Okafor, 2015, p. 7)",
        "  never cited: Tan, Y. (2021). A reference nobody cites",
        "2 citation problem(s) found.",
    ]


def test_check_citations_is_quiet_and_exits_normally_when_clean():
    make_paper(
        title="Clean paper",
        sections=[("Body", "(Naslund et al., 2016, p. 1)")],
        references=[NASLUND],
    )
    out = run("check_citations")
    assert out == "0 citation problem(s) found.\n"


def test_check_citations_can_look_at_one_edition_only():
    clean_edition = make_edition(slug="clean-ed")
    make_paper(
        stream=make_stream(clean_edition),
        sections=[("B", "(Naslund et al., 2016)")],
        references=[NASLUND],
    )
    make_paper(title="Elsewhere", sections=[("Body", "(Okafor, 2015)")])
    assert run("check_citations", "--edition", "clean-ed") == "0 citation problem(s) found.\n"
    with pytest.raises(SystemExit):
        call_command("check_citations", stdout=io.StringIO())


# load_demo


@pytest.fixture
def demo():
    out = run("load_demo")
    return out


def test_load_demo_loads_the_edition_and_its_streams(demo):
    edition_file = tomllib.loads((DEMO / "edition.toml").read_text(encoding="utf-8"))
    edition = Edition.objects.get()
    assert edition.slug == edition_file["slug"]
    assert edition.name == edition_file["name"]
    streams = list(edition.streams.values_list("slug", flat=True))
    assert streams == [stream["slug"] for stream in edition_file["streams"]]
    assert len(streams) >= 2


def test_load_demo_loads_every_paper_file(demo):
    files = sorted((DEMO / "papers").glob("*.md"))
    assert len(files) >= 3
    papers = Paper.objects.all()
    assert papers.count() == len(files)
    assert len({paper.stream_id for paper in papers}) >= 2
    assert f"Loaded the demo conference: {len(files)} papers." in demo
    for paper in papers:
        assert paper.get_absolute_url() in demo
        assert paper.status == Paper.Status.PUBLISHED


def test_demo_papers_have_sections_references_and_linked_citations(demo):
    for paper in Paper.objects.all():
        sections = list(paper.sections.all())
        assert sections, paper
        assert paper.references.exists(), paper
        assert any('<a class="citation" href="#ref-' in s.body_html for s in sections), paper
        assert paper.author_list, paper


def test_demo_discussions_have_author_replies_and_deep_threads(demo):
    for paper in Paper.objects.all():
        comments = list(paper.comments.approved())
        assert comments, paper
        assert paper.comment_count == len(comments)
        replies = [c for c in comments if c.by_paper_author]
        assert replies, paper
        assert all(c.parent_id is not None for c in replies)
        author_users = {person.user_id for person in paper.author_list}
        assert {c.user_id for c in replies} <= author_users
        assert max(c.depth for c in comments) >= 3, paper


def test_demo_pages_can_be_read(client, demo):
    home = client.get("/").content.decode()
    assert Edition.objects.get().name in home
    for paper in Paper.objects.all():
        response = client.get(paper.get_absolute_url())
        assert response.status_code == 200
        assert paper.title in response.content.decode()


def test_load_demo_twice_does_not_duplicate_anything(demo):
    def counts():
        return [
            model.objects.count()
            for model in (Edition, Stream, Paper, Person, Section, Reference, Comment)
        ]

    before = counts()
    ids = sorted(Paper.objects.values_list("pk", flat=True))
    run("load_demo")
    assert counts() == before
    assert sorted(Paper.objects.values_list("pk", flat=True)) == ids


def test_load_demo_if_empty_does_nothing_when_an_edition_exists():
    make_edition(name="Someone else's conference")
    out = run("load_demo", "--if-empty")
    assert out == "The database already holds a conference; demo not loaded.\n"
    assert Edition.objects.get().name == "Someone else's conference"
    assert not Paper.objects.exists()


def test_load_demo_if_empty_loads_into_an_empty_database():
    out = run("load_demo", "--if-empty")
    assert "Loaded the demo conference" in out
    assert Paper.objects.count() >= 3
