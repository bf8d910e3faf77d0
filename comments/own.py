"""What a poster may do with their own comment: edit it, or take it back, for
COLLOQUY_EDIT_WINDOW_MINUTES after posting and while nobody has replied to it.

A poster is recognised by their account, or, as a guest, by a signed cookie the comment
form sets when they post (no session, no address kept): it names the comments this browser
posted in the window, and lasts as long as the window.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from .models import Comment, ModerationEvent
from .moderation import Submission, edit_refusal, moderate
from .services import (
    VERDICT_STATUS,
    CommentRefused,
    body_fields,
    comment_remove,
    has_replies,
    is_trusted,
    paper_discussion_changed,
    store_reasons,
)

Status = Comment.Status
OWN_COOKIE = "colloquy_own_comments"
OWN_SALT = "colloquy.comments.own"
OWN_LIMIT = 20  # comments a browser remembers posting within the window


def window():
    return datetime.timedelta(minutes=settings.COLLOQUY_EDIT_WINDOW_MINUTES)


def own_comment_ids(request):
    """The ids of the comments this browser posted as a guest within the window."""
    try:
        value = request.get_signed_cookie(
            OWN_COOKIE, salt=OWN_SALT, max_age=window().total_seconds()
        )
    except (KeyError, signing.BadSignature):
        return []
    return [int(part) for part in value.split(",") if part.isdigit()]


def remember_own_comment(request, response, comment):
    """Let this browser edit or delete the comment it just posted, for the window."""
    ids = [*own_comment_ids(request), comment.pk][-OWN_LIMIT:]
    response.set_signed_cookie(
        OWN_COOKIE,
        ",".join(map(str, ids)),
        salt=OWN_SALT,
        max_age=int(window().total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def posted_by(request):
    """A test of whether a comment is this visitor's: by their account, or, for a guest's
    comment, by the cookie of the comments this browser posted."""
    user_id = request.user.pk if request.user.is_authenticated else None
    guest_ids = frozenset(own_comment_ids(request))
    return lambda comment: (
        comment.user_id == user_id if comment.user_id is not None else comment.pk in guest_ids
    )


def is_poster(request, comment):
    return posted_by(request)(comment)


def in_window(comment, now=None):
    """Whether the comment was posted recently enough to be changed still."""
    return (now or timezone.now()) <= comment.submitted_at + window()


# A comment the checks sent to spam looks to its sender like a held one, and can be changed
# as one (an edit the checks pass leaves it where it is).
CHANGEABLE = (Status.APPROVED, Status.PENDING, Status.SPAM)


def why_unchangeable(comment, now=None):
    """Why its poster may no longer edit or delete the comment, or None while they may."""
    if comment.status not in CHANGEABLE:
        return "This comment can no longer be changed."
    if not in_window(comment, now):
        minutes = settings.COLLOQUY_EDIT_WINDOW_MINUTES
        return f"A comment can be changed for {minutes} minutes after it is posted."
    if has_replies(comment):
        return "Someone has replied to this comment, so it stays as it is."
    return None


# Checks that judged how a comment was sent, not what it says: an edit keeps their reasons.
SENDER_CHECKS = ("honeypot", "too_fast")
STATUS_RANK = {Status.APPROVED: 0, Status.PENDING: 1, Status.SPAM: 2}


class Unchangeable(Exception):
    """The comment may no longer be changed (its reason is the message)."""


def _locked(comment):
    """The comment read again and locked, still changeable: a moderator's decision or a reply
    that came in since the page was read wins."""
    comment = (
        Comment.objects.select_for_update().select_related("paper__edition").get(pk=comment.pk)
    )
    if reason := why_unchangeable(comment):
        raise Unchangeable(reason)
    return comment


@transaction.atomic
def comment_revise(comment, *, body):
    """Its poster's edit: the new text sanitised and put through moderation again. An edit
    the checks would hold goes back to pending (or to spam), with their reasons; an edit never
    brings a comment up from where it was (spam stays spam). The text it replaced is kept in
    the moderation history. Raises Unchangeable, or CommentRefused for an edit that says what
    the poster said before in another comment. Returns the comment as saved."""
    comment = _locked(comment)
    before, was = comment.body, comment.status
    for name, value in body_fields(body).items():
        setattr(comment, name, value)
    submission = Submission(comment=comment, trusted=is_trusted(comment.paper, comment.user))
    if refused := edit_refusal(submission):
        raise CommentRefused(refused)
    outcome = moderate(submission)
    judged = VERDICT_STATUS.get(outcome.verdict, Status.SPAM)
    comment.status = max(was, judged, key=STATUS_RANK.__getitem__)
    comment.edited_at = timezone.now()
    if comment.status != was:
        comment.status_changed_at = comment.edited_at
        if comment.status == Status.SPAM:
            comment.status_before = was
    comment.save()
    comment.reasons.exclude(check_name__in=SENDER_CHECKS).delete()  # they judged the old text
    store_reasons(comment, outcome.findings)
    reasons = "; ".join(finding.message for finding in outcome.findings)
    ModerationEvent.objects.create(
        comment=comment,
        actor=comment.user,
        from_status=was,
        to_status=comment.status,
        reason=("edited by its poster" + (f": {reasons}" if reasons else ""))[:300],
        text_before=before,
    )
    paper_discussion_changed(comment.paper)
    return comment


@transaction.atomic
def comment_take_back(comment):
    """Its poster deletes it (nobody has replied, as _locked makes sure: it goes for good).
    Raises Unchangeable."""
    comment = _locked(comment)
    comment_remove(comment, actor=comment.user, reason="deleted by its poster")


def changeable_ids(request, comments, replies):
    """The ids of a discussion page's comments (threads.ThreadItem) this visitor may still
    edit or delete: theirs, posted within the window, with no reply shown under them (the
    edit page says so when a reply waits for moderation)."""
    now, theirs = timezone.now(), posted_by(request)
    return frozenset(
        comment.pk
        for comment in comments
        if comment.status in CHANGEABLE
        and comment.pk not in replies
        and in_window(comment, now)
        and theirs(comment)
    )
