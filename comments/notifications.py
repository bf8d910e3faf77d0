"""E-mail about comments, sent through Django's tasks framework.

When a comment is approved, the paper's authors are told, and so is the commenter it
replies to if they asked to be. Tasks are enqueued once the transaction commits, so a
worker sees the approved comment; the immediate backend (the default) runs them in-process
and records a failure instead of raising, and a failing enqueue is logged, never raised, so
a broken mail server never loses or blocks a comment.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from papers.site import absolute_url

from .models import Comment
from .tokens import unsubscribe_token

logger = logging.getLogger(__name__)
MODERATORS_GROUP = "Moderators"


def comment_approved(comment):
    transaction.on_commit(lambda: _enqueue(comment.pk))


def comment_held(comment):
    if settings.COLLOQUY_NOTIFY_MODERATORS:
        transaction.on_commit(lambda: _enqueue(comment.pk, jobs=[notify_moderators]))


def _enqueue(comment_id, jobs=None):
    for job in jobs or (notify_paper_authors, notify_reply_subscriber):
        try:
            job.enqueue(comment_id)
        except Exception:
            logger.exception("Could not enqueue %s for comment %s", job.name, comment_id)


def _approved(comment_id):
    return (
        Comment.objects.approved()
        .select_related("paper__edition", "parent", "user")
        .filter(pk=comment_id)
        .first()
    )


@task
def notify_paper_authors(comment_id):
    """Tell each author of the paper (with an account and e-mail) of a new comment."""
    comment = _approved(comment_id)
    if comment is None:
        return 0
    recipients = [
        person.user.email
        for person in comment.paper.authors.select_related("user")
        if person.user and person.user.email and person.user != comment.user
    ]
    if not recipients:
        return 0
    context = {
        "comment": comment,
        "paper": comment.paper,
        "url": absolute_url(comment.get_absolute_url()),
    }
    message = EmailMessage(
        subject=f"New comment on “{comment.paper.title}”",
        body=render_to_string("comments/email/new_comment.txt", context),
        to=recipients,
    )
    return message.send()


@task
def notify_reply_subscriber(comment_id):
    """Tell the commenter replied to, if they opted in, with a one-click unsubscribe link."""
    comment = _approved(comment_id)
    parent = comment.parent if comment else None
    if (
        parent is None
        or not parent.notify_replies
        or parent.email.casefold() == (comment.email.casefold())
    ):
        return 0
    unsubscribe = absolute_url(reverse("comments:unsubscribe", args=[unsubscribe_token(parent)]))
    context = {
        "comment": comment,
        "parent": parent,
        "paper": comment.paper,
        "url": absolute_url(comment.get_absolute_url()),
        "unsubscribe_url": unsubscribe,
    }
    message = EmailMessage(
        subject=f"{comment.name} replied to your comment on “{comment.paper.title}”",
        body=render_to_string("comments/email/reply.txt", context),
        to=[parent.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    return message.send()


@task
def notify_moderators(comment_id):
    """Tell moderators (and superusers) that a new comment waits in the queue."""
    comment = Comment.objects.pending().select_related("paper__edition").filter(pk=comment_id)
    comment = comment.prefetch_related("reasons").first()
    if comment is None:
        return 0
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    moderators = users.filter(Q(groups__name=MODERATORS_GROUP) | Q(is_superuser=True)).distinct()
    recipients = [user.email for user in moderators]
    if not recipients:
        return 0
    context = {
        "comment": comment,
        "paper": comment.paper,
        "queue_url": absolute_url(reverse("admin:comments_pendingcomment_changelist")),
    }
    message = EmailMessage(
        subject=f"Comment held for moderation on “{comment.paper.title}”",
        body=render_to_string("comments/email/held.txt", context),
        to=recipients,
    )
    return message.send()
