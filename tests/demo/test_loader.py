"""The demo's moderation queue: comments posted through the real pipeline when it loads."""

import io

import pytest
from django.core.management import call_command

from comments.models import Comment

pytestmark = pytest.mark.django_db


def _load_demo():
    call_command("load_demo", stdout=io.StringIO())


def _held():
    pending = Comment.objects.pending().select_related("paper").order_by("id")
    return {c.name: (c, [r.check_name for r in c.reasons.all()]) for c in pending}


def test_load_demo_leaves_work_in_the_moderation_queue_with_reasons():
    _load_demo()
    held = _held()
    assert set(held) == {"Farah Siddiqui", "Tomasz Wieczorek", "Best Stream Deals"}
    assert held["Tomasz Wieczorek"][1] == ["first_comment"]
    assert held["Best Stream Deals"][1] == ["links", "first_comment"]


def test_demo_authors_second_reply_is_held_as_a_near_duplicate_of_the_first():
    _load_demo()
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
    _load_demo()
    for comment, _checks in _held().values():
        paper = comment.paper
        assert paper.comment_count == paper.comments.approved().count()
        html = client.get(paper.get_absolute_url()).content.decode()
        assert f'id="comment-{comment.pk}"' not in html


def test_load_demo_twice_keeps_one_copy_of_each_held_comment():
    _load_demo()
    _load_demo()
    assert sorted(name for name in _held()) == [
        "Best Stream Deals",
        "Farah Siddiqui",
        "Tomasz Wieczorek",
    ]
