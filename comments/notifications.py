"""E-mail about comments, sent through Django's tasks framework.

When a comment is approved, the paper's authors are told, and so is the commenter it
replies to if they asked to be. Tasks are enqueued once the transaction commits, so a
worker sees the approved comment; the immediate backend (the default) runs them in-process
and records a failure instead of raising, and a failing enqueue is logged, never raised, so
a broken mail server never loses or blocks a comment.

Every e-mail is a NotificationEmail: its structured headers (List-Unsubscribe and the like)
go out exactly as written, in ASCII, folded only between their items, never as RFC 2047
encoded-words; only the Subject, which is free text, may be encoded.
"""

import email.policy
import sys
from email.headerregistry import BaseHeader

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from common.names import NO_NAME, display_name
from common.site import absolute_url
from common.tasks import enqueue_on_commit

from .models import Comment
from .tokens import unsubscribe_token

MODERATORS_GROUP = "Moderators"

# RFC 3834: a message sent by a program, not a person; vacation responders do not answer it.
AUTOMATIC = {"Auto-Submitted": "auto-generated"}
# Headers that EmailMessage.message() writes itself (addresses, free text, a date).
_NOT_STRUCTURED = {"subject", "from", "to", "cc", "reply-to", "sender", "date"}
_RFC5322_LINE_LIMIT = 998  # characters, without CRLF: the limit every line MUST keep


class StructuredHeader(BaseHeader):
    """A header whose value is ASCII syntax for programs: URIs in angle brackets, a keyword.

    Python's email package keeps any header it has no parser for as unstructured text, and
    folds unstructured text that has a word too long for a 78-character line by turning it
    into RFC 2047 encoded-words (`=?utf-8?q?=3Chttps...`). That is right for free text and
    wrong for List-Unsubscribe (RFC 2369, RFC 8058): clients read the header's syntax and do
    not decode it, so the one-click unsubscribe disappears. An unsubscribe URL is always
    longer than 78 characters. This header is written as given: its first item on the line
    of its name, the others folded before the space that precedes them when the line would
    pass 78 characters, an item never split (RFC 5322 asks lines to stay within 78
    characters, and requires 998: an item longer than that is refused).
    """

    max_count = 1

    @classmethod
    def parse(cls, value, kwds):
        value = str(value)
        if not value.isascii() or "\r" in value or "\n" in value:
            raise ValueError(f"A structured header is one line of ASCII, not {value!r}")
        kwds["parse_tree"] = None  # fold() below needs none
        kwds["decoded"] = " ".join(value.split())

    def fold(self, *, policy):
        limit = policy.max_line_length or sys.maxsize
        first, *rest = str(self).split() or [""]
        lines = [f"{self.name}: {first}"]
        for word in rest:
            if len(lines[-1]) + 1 + len(word) > limit:
                lines.append("")  # a fold: the line break goes before the space
            lines[-1] += f" {word}"
        if max(map(len, lines)) > _RFC5322_LINE_LIMIT:
            raise ValueError(f"{self.name} has a word longer than a mail line may be")
        return policy.linesep.join(lines) + policy.linesep


class NotificationEmail(EmailMessage):
    """An EmailMessage whose extra headers (`headers=`) are StructuredHeaders.

    Every mail backend builds the sent bytes with message() (SMTP with email.policy.SMTP,
    the others with email.policy.default), so the headers are right whichever is used.
    """

    def message(self, *, policy=email.policy.default):
        msg = super().message(policy=policy)
        for name, value in self.extra_headers.items():
            if name.lower() not in _NOT_STRUCTURED:
                msg.replace_header(name, StructuredHeader(name, value))
        return msg


def comment_approved(comment):
    enqueue_on_commit([notify_paper_authors, notify_reply_subscriber], comment.pk)


def comment_held(comment):
    if settings.COLLOQUY_NOTIFY_MODERATORS:
        enqueue_on_commit([notify_moderators], comment.pk)


def _send(comment, *, subject, template, to, headers=AUTOMATIC, **context):
    """Send the e-mail about a comment to the addresses in `to`, if any; how many messages
    went. Its template is given the comment, its paper, and the rest of the context."""
    if not to:
        return 0
    body = render_to_string(template, {"comment": comment, "paper": comment.paper, **context})
    return NotificationEmail(subject=subject, body=body, to=to, headers=headers).send()


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
    return _send(
        comment,
        subject=f"New comment on “{comment.paper.title}”",
        template="comments/email/new_comment.txt",
        to=recipients,
        url=absolute_url(comment.get_absolute_url()),
    )


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
    name = display_name(comment.name) or NO_NAME  # the stored name may predate the cleaning
    return _send(
        comment,
        subject=f"{name} replied to your comment on “{comment.paper.title}”",
        template="comments/email/reply.txt",
        to=[parent.email],
        headers={
            **AUTOMATIC,
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        parent=parent,
        url=absolute_url(comment.get_absolute_url()),
        unsubscribe_url=unsubscribe,
    )


@task
def notify_moderators(comment_id):
    """Tell moderators (and superusers) that a new comment waits in the queue."""
    comment = Comment.objects.pending().select_related("paper__edition").filter(pk=comment_id)
    comment = comment.prefetch_related("reasons").first()
    if comment is None:
        return 0
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    moderators = users.filter(Q(groups__name=MODERATORS_GROUP) | Q(is_superuser=True)).distinct()
    return _send(
        comment,
        subject=f"Comment held for moderation on “{comment.paper.title}”",
        template="comments/email/held.txt",
        to=[user.email for user in moderators],
        queue_url=absolute_url(reverse("admin:comments_pendingcomment_changelist")),
    )
