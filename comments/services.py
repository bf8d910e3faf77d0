"""Writing comments: posting one, and moving one between statuses.

Every change of status goes through comment_set_status, which keeps the paper's comment
count true and lets notifications go out when a comment becomes visible.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from papers.markup import render_markdown

from . import notifications
from .models import Comment

Status = Comment.Status


@dataclass(frozen=True)
class Identity:
    """Who is posting: a signed-in user, or a guest's name, e-mail and website."""

    name: str
    email: str
    website: str = ""
    user: object = None


def _placement(parent):
    """Parent, root and depth for a new comment: at the deepest level, replies become siblings."""
    if parent is None:
        return None, None, 1
    if parent.depth >= settings.COLLOQUY_MAX_THREAD_DEPTH:
        parent = parent.parent
        if parent is None:
            return None, None, 1
    root = parent.root if parent.root_id else parent
    return parent, root, parent.depth + 1


def _is_paper_author(paper, user):
    return user is not None and paper.authorships.filter(person__user=user).exists()


def comment_build(*, paper, identity, body, parent=None, notify_replies=False):
    """A new, unsaved, pending comment with everything derived from what was posted."""
    parent, root, depth = _placement(parent)
    return Comment(
        paper=paper,
        parent=parent,
        root=root,
        depth=depth,
        user=identity.user,
        by_paper_author=_is_paper_author(paper, identity.user),
        name=identity.name,
        email=identity.email,
        website=identity.website,
        body=body,
        body_html=render_markdown(body),
        notify_replies=notify_replies,
        status=Status.PENDING,
    )


def comment_create(*, paper, identity, body, parent=None, notify_replies=False, key=None):
    """Store a new comment; returns it and False when the same form was already posted."""
    if key and (earlier := Comment.objects.filter(form_token=key).first()):
        return earlier, False
    comment = comment_build(
        paper=paper, identity=identity, body=body, parent=parent, notify_replies=notify_replies
    )
    comment.form_token = key
    try:
        with transaction.atomic():
            comment.save()
            comment_set_status(comment, Status.APPROVED, actor=None, reason="")
    except IntegrityError:
        earlier = Comment.objects.filter(form_token=key).first() if key else None
        if earlier is None:
            raise
        return earlier, False
    return comment, True


def paper_recount(paper):
    paper.comment_count = paper.comments.approved().count()
    type(paper).objects.filter(pk=paper.pk).update(comment_count=paper.comment_count)


@transaction.atomic
def comment_set_status(comment, status, *, actor, reason):
    """Move a comment to a status; approving it lets its notifications go out."""
    was = comment.status
    if status in (Status.SPAM, Status.TRASH) and was not in (Status.SPAM, Status.TRASH):
        comment.status_before = was
    comment.status = status
    comment.status_changed_at = timezone.now()
    comment.save(update_fields=["status", "status_before", "status_changed_at"])
    if Status.APPROVED in (was, status) and was != status:
        paper_recount(comment.paper)
    if status == Status.APPROVED and was != status:
        notifications.comment_approved(comment)
