"""generate_discussion: a reproducible, realistic discussion stored as posted comments are."""

import io

import pytest
from django.core.management import call_command

from comments.fingerprints import sketch, text_hash
from comments.models import Comment
from common.markup import render_markdown
from papers.models import Paper
from tests.factories import make_comment

pytestmark = pytest.mark.django_db


def _generate(*args):
    out = io.StringIO()
    call_command("generate_discussion", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_generate_discussion_makes_a_paper_with_n_approved_comments(client):
    lines = _generate("--comments", "120", "--seed", "7")
    paper = Paper.objects.get(slug="generated-discussion-7-1")
    assert lines[-1] == paper.get_absolute_url()
    comments = list(paper.comments.all())
    assert len(comments) == 120
    assert {c.status for c in comments} == {Comment.Status.APPROVED}
    assert paper.comment_count == 120
    assert client.get(lines[-1]).status_code == 200


def test_generated_tree_has_the_expected_shape():
    _generate("--comments", "400", "--seed", "3")
    comments = list(Paper.objects.get(slug="generated-discussion-3-1").comments.all())
    top = [c for c in comments if c.parent_id is None]
    assert 0.3 < len(top) / len(comments) < 0.5
    assert max(c.depth for c in comments) == 4
    by_id = {c.pk: c for c in comments}
    for reply in (c for c in comments if c.parent_id):
        parent = by_id[reply.parent_id]
        assert reply.depth == parent.depth + 1
        assert reply.root_id == (parent.root_id or parent.pk)
        assert reply.submitted_at > parent.submitted_at
    assert any(c.by_paper_author for c in comments)
    assert len({c.email for c in comments}) > 10
    assert any('href="https://example.' in c.body_html for c in comments)


def test_generated_comments_are_stored_like_posted_ones():
    _generate("--comments", "30", "--seed", "11")
    for comment in Paper.objects.get(slug="generated-discussion-11-1").comments.all():
        assert 80 <= len(comment.body.split()) <= 150
        assert comment.body_html == render_markdown(comment.body)
        assert comment.text_hash == text_hash(comment.body)
        assert bytes(comment.sketch) == sketch(comment.body)


def test_same_seed_gives_the_same_discussion():
    def shape():
        comments = Paper.objects.get(slug="generated-discussion-5-1").comments.all()
        ids = {c.pk: n for n, c in enumerate(comments)}
        return [(c.name, c.body, ids.get(c.parent_id), c.submitted_at) for c in comments]

    _generate("--comments", "50", "--seed", "5")
    first = shape()
    _generate("--comments", "50", "--seed", "5")
    assert shape() == first
    assert Paper.objects.filter(slug="generated-discussion-5-1").count() == 1
    Paper.objects.filter(slug="generated-discussion-5-1").delete()  # as on a fresh database
    _generate("--comments", "50", "--seed", "5")
    assert shape() == first


def test_comments_spread_over_several_papers():
    _generate("--comments", "25", "--papers", "3", "--seed", "2")
    counts = [
        Paper.objects.get(slug=f"generated-discussion-2-{n}").comments.count() for n in (1, 2, 3)
    ]
    assert counts == [9, 8, 8]


def test_generated_ids_leave_the_sequence_ready_for_new_comments():
    _generate("--comments", "20", "--seed", "4")
    paper = Paper.objects.get(slug="generated-discussion-4-1")
    newest = max(paper.comments.values_list("pk", flat=True))
    assert make_comment(paper).pk > newest
