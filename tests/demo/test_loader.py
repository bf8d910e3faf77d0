"""load_demo: the demo edition, its papers, their discussions and a moderation queue with work."""

import io
import tomllib
from pathlib import Path

import pytest
from django.core.management import call_command

from comments.models import Comment
from papers.models import Edition, Paper, Person, Reference, Section, Stream
from tests.factories import make_edition

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[2] / "demo" / "content"


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


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
    assert Comment.objects.pending().count() == 3
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


def _held():
    pending = Comment.objects.pending().select_related("paper").order_by("id")
    return {c.name: (c, [r.check_name for r in c.reasons.all()]) for c in pending}


def test_load_demo_leaves_work_in_the_moderation_queue_with_reasons():
    run("load_demo")
    held = _held()
    assert set(held) == {"Farah Siddiqui", "Tomasz Wieczorek", "Best Stream Deals"}
    assert held["Tomasz Wieczorek"][1] == ["first_comment"]
    assert held["Best Stream Deals"][1] == ["links", "first_comment"]


def test_demo_authors_second_reply_is_held_as_a_near_duplicate_of_the_first():
    run("load_demo")
    repost, checks = _held()["Farah Siddiqui"]
    assert checks == ["near_duplicate"]
    reason = repost.reasons.get()
    original = reason.related_comment
    assert original.status == Comment.Status.APPROVED
    assert original.parent == repost.parent
    assert original.parent.name == "Oskar Brandt"
    assert reason.message.startswith(f"near-duplicate of #{original.pk} (")
    assert repost.by_paper_author


def test_demo_held_comments_are_not_counted_or_shown_to_readers(client):
    run("load_demo")
    for comment, _checks in _held().values():
        paper = comment.paper
        assert paper.comment_count == paper.comments.approved().count()
        html = client.get(paper.get_absolute_url()).content.decode()
        assert f'id="comment-{comment.pk}"' not in html
