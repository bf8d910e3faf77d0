"""Deleting comments for good (comment_delete, `manage.py purge`): replies always stay,
moved up a level."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from comments.models import Comment
from comments.services import comment_delete, comment_set_status
from tests.factories import make_comment, make_paper

pytestmark = pytest.mark.django_db
Status = Comment.Status


def thread(paper, length):
    """A top-level comment and its replies, each to the one before: `length` comments."""
    comments = [make_comment(paper)]
    for _ in range(length - 1):
        comments.append(make_comment(paper, parent=comments[-1]))
    return comments


def trashed_long_ago(*comments):
    """Moved to the trash 31 days ago, older than purge keeps."""
    for comment in comments:
        comment_set_status(comment, Status.TRASH, actor=None)
    Comment.objects.filter(pk__in=[comment.pk for comment in comments]).update(
        status_changed_at=timezone.now() - datetime.timedelta(days=31)
    )


def purge_trash():
    """What `manage.py purge` says."""
    out = io.StringIO()
    call_command("purge", stdout=out)
    return out.getvalue()


def test_purge_deletes_old_trash_and_keeps_replies():
    paper = make_paper()
    top, middle, reply, deeper = thread(paper, 4)
    fresh_trash = make_comment(paper, status=Status.TRASH)
    trashed_long_ago(middle)
    assert "Purged 1 comment(s)" in purge_trash()
    assert not Comment.objects.filter(pk=middle.pk).exists()
    assert Comment.objects.filter(pk=fresh_trash.pk).exists()
    reply.refresh_from_db()
    deeper.refresh_from_db()
    assert (reply.parent_id, reply.root_id, reply.depth) == (top.pk, top.pk, 2)
    assert (deeper.parent_id, deeper.root_id, deeper.depth) == (reply.pk, top.pk, 3)


def test_deleting_a_top_level_comment_makes_its_replies_threads():
    paper = make_paper()
    top, reply, under = thread(paper, 3)
    comment_delete(top)
    reply.refresh_from_db()
    under.refresh_from_db()
    assert (reply.parent_id, reply.root_id, reply.depth) == (None, None, 1)
    assert (under.parent_id, under.root_id, under.depth) == (reply.pk, reply.pk, 2)
    paper.refresh_from_db()
    assert paper.comment_count == 2


def test_purge_deletes_a_trashed_comment_and_its_trashed_reply_together():
    paper = make_paper()
    top, middle, reply, under = thread(paper, 4)
    trashed_long_ago(middle, reply)
    assert "Purged 2 comment(s)" in purge_trash()
    under.refresh_from_db()
    assert (under.parent_id, under.root_id, under.depth) == (top.pk, top.pk, 2)
    assert sorted(paper.comments.values_list("pk", flat=True)) == [top.pk, under.pk]


def test_deleting_a_comment_already_deleted_does_nothing():
    paper = make_paper()
    top, reply = thread(paper, 2)
    stale = Comment.objects.get(pk=top.pk)
    comment_delete(top)
    comment_delete(stale)
    reply.refresh_from_db()
    assert (reply.parent_id, reply.depth) == (None, 1)
