"""Status changes through comments.services: each one recorded, the paper's count kept, and
spam and trash remembering where a comment came from so it can be restored."""

import pytest

from comments.models import Comment, ModerationEvent
from comments.services import comment_restore, comment_set_status
from tests.factories import make_comment, make_paper, make_user

pytestmark = pytest.mark.django_db
Status = Comment.Status


def test_status_changes_are_recorded_and_spam_and_trash_remember():
    actor = make_user(staff=True)
    paper = make_paper()
    comment = make_comment(paper, status=Status.PENDING)
    comment_set_status(comment, Status.APPROVED, actor=actor, reason="looks fine")
    paper.refresh_from_db()
    assert paper.comment_count == 1
    comment_set_status(comment, Status.SPAM, actor=actor, reason="on second thought")
    assert (comment.status, comment.status_before) == (Status.SPAM, Status.APPROVED)
    paper.refresh_from_db()
    assert paper.comment_count == 0
    comment_restore(comment, actor=actor, reason="not spam")
    assert comment.status == Status.APPROVED
    comment_set_status(comment, Status.TRASH, actor=actor)
    comment_set_status(comment, Status.SPAM, actor=actor)
    comment_restore(comment, actor=actor)
    assert comment.status == Status.APPROVED
    events = list(comment.events.values_list("from_status", "to_status", "reason"))
    assert events[:3] == [
        ("", Status.PENDING, "made by a test"),
        (Status.PENDING, Status.APPROVED, "looks fine"),
        (Status.APPROVED, Status.SPAM, "on second thought"),
    ]
    assert ModerationEvent.objects.filter(actor=actor).count() == 6
