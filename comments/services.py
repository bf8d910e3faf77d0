"""Writing comments: posting one, moving one between statuses, and deleting one for good.

Every status change goes through comment_set_status (or, for a new comment, through
comment_create, or comment_import for one made elsewhere), which records who, when and why,
keeps the paper's comment count true (paper_discussion_changed) and lets notifications go
out when a comment first becomes visible.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from common.bulk import insert_objects, insert_rows, reserve_ids
from common.markup import render_markdown
from common.names import NO_NAME, clean_name

from . import notifications
from .fingerprints import sketch, text_hash
from .models import Comment, ModerationEvent, ModerationReason, normalize_email
from .moderation import Finding, Submission, Verdict, moderate, refusal
from .signals import comments_written_in_bulk

Status = Comment.Status
VERDICT_STATUS = {Verdict.ALLOW: Status.APPROVED, Verdict.HOLD: Status.PENDING}


@dataclass(frozen=True)
class Identity:
    """Who is posting: a signed-in user, or a guest's name, e-mail and website."""

    name: str
    email: str
    website: str = ""
    user: object = None


@dataclass(frozen=True)
class ClientSignals:
    """What the request tells about the sender, beyond what they typed."""

    client_key: str = ""
    seconds_to_post: float | None = None
    honeypot: str = ""


class CommentRefused(Exception):
    def __init__(self, finding):
        super().__init__(finding.message)
        self.finding = finding


def _placement(parent, *, as_placed=False):
    """Parent, root and depth for a new comment: at the deepest level, replies become
    siblings, unless the reply is placed as it was elsewhere (as_placed: an import)."""
    if parent is None:
        return None, None, 1
    if parent.depth >= settings.COLLOQUY_MAX_THREAD_DEPTH and not as_placed:
        parent = parent.parent
        if parent is None:
            return None, None, 1
    root = parent.root or parent
    return parent, root, parent.depth + 1


def _is_paper_author(paper, user):
    return user is not None and paper.authorships.filter(person__user=user).exists()


def is_trusted(paper, user):
    """Staff, moderators, and the paper's own authors skip flood and the trust holds."""
    if user is None:
        return False
    return (
        user.is_staff or user.has_perm("comments.change_comment") or _is_paper_author(paper, user)
    )


def body_fields(body):
    """The stored forms of a comment's text: rendered HTML and duplicate fingerprints."""
    return {
        "body": body,
        "body_html": render_markdown(body),
        "text_hash": text_hash(body),
        "sketch": sketch(body),
    }


def comment_build(
    *, paper, identity, body, parent=None, notify_replies=False, content=None, as_placed=False
):
    """A new, unsaved comment with everything derived from what was posted.

    content: the stored forms of the text, when the caller has them already (the generator)
    or needs only some of them yet (comment_create); body_fields(body) otherwise.
    as_placed: a reply made elsewhere stays under its parent however deep the thread goes
    (the discussion shows it at the deepest level: comments.threads.arrange).
    """
    parent, root, depth = _placement(parent, as_placed=as_placed)
    return Comment(
        paper=paper,
        parent=parent,
        root=root,
        depth=depth,
        user=identity.user,
        by_paper_author=_is_paper_author(paper, identity.user),
        name=clean_name(identity.name) or NO_NAME,
        email=normalize_email(identity.email),
        website=identity.website,
        notify_replies=notify_replies,
        **(content or body_fields(body)),
    )


def store_reasons(comment, findings):
    """Keep with the comment why each check that spoke judged it as it did."""
    ModerationReason.objects.bulk_create(
        ModerationReason(
            comment=comment,
            check_name=finding.check,
            verdict=finding.verdict.name.lower(),
            message=finding.message,
            related_comment=finding.related,
        )
        for finding in findings
    )


def comment_create(
    *, paper, identity, body, parent=None, notify_replies=False, key=None, signals=None
):
    """Moderate and store a new comment.

    key: the form it was posted from (tokens.form_key); one form posts one comment.
    Returns (comment, created); created is False when the same form was posted before with
    the same text, by a copy of this request or by one that raced it.
    Raises CommentRefused when the pipeline refuses it (nothing is stored then). The cheap
    refusals run before the text is rendered, so a refused post costs next to nothing.
    """
    signals = signals or ClientSignals()
    comment = comment_build(
        paper=paper,
        identity=identity,
        body=body,
        parent=parent,
        notify_replies=notify_replies,
        content={"body": body, "text_hash": text_hash(body)},
    )
    if earlier := _posted_from_form(key, comment):
        return earlier, False
    comment.form_token = key
    comment.client_key = signals.client_key
    submission = Submission(
        comment=comment,
        trusted=is_trusted(paper, identity.user),
        client_key=signals.client_key,
        seconds_to_post=signals.seconds_to_post,
        honeypot=signals.honeypot,
    )
    if refused := refusal(submission):
        # A copy of this very form, stored a moment ago, looks like a flood or a duplicate.
        if earlier := _posted_from_form(key, comment):
            return earlier, False
        raise CommentRefused(refused)
    comment.body_html, comment.sketch = render_markdown(body), sketch(body)
    outcome = moderate(submission)
    comment.status = VERDICT_STATUS.get(outcome.verdict, Status.SPAM)
    try:
        with transaction.atomic():
            comment.save()
            store_reasons(comment, outcome.findings)
            reason = "; ".join(f.message for f in outcome.findings) or "passed every check"
            _record(comment, "", comment.status, actor=None, reason=reason)
    except IntegrityError:
        earlier = _posted_from_form(key, comment)
        if earlier is None:
            raise
        return earlier, False
    return comment, True


FORM_USED = Finding(
    "form_used",
    Verdict.REFUSE,
    "This form has already posted a comment. Your text is kept below: post it again to "
    "add it as a new comment.",
)


def _posted_from_form(key, comment):
    """The comment this form posted already, if it said the same; a form that posted
    something else is refused (each visitor's form posts one comment)."""
    earlier = Comment.objects.filter(form_token=key).first() if key else None
    if earlier is None:
        return None
    if earlier.email == comment.email and earlier.text_hash == comment.text_hash:
        return earlier
    raise CommentRefused(FORM_USED)


IMPORT_BATCH = 2000


@transaction.atomic
def comments_import(comments, *, reason):
    """Store comments made elsewhere (the demo, the generator, a WordPress export, tests),
    each built by comment_build and given the status and submission time it had there.

    Each is taken to have had its status since it was submitted, and gets the moderation
    event that gave it (reason: from where), so that a later re-approval is not taken for its
    first. Nobody is notified: they are not news. Each paper is recounted once, at the end.

    Parents come before their replies; a reply may be built while its parent is unsaved.
    Ids are reserved for the comments that have none (common.bulk), so a batch holds parents
    and replies alike and is stored in one statement, its events in another.
    """
    batch, papers, reason = [], {}, reason[:300]

    def store():
        unsaved = [comment for comment in batch if comment.pk is None]
        for comment, pk in zip(unsaved, reserve_ids(Comment, len(unsaved)), strict=True):
            comment.pk = pk
        insert_objects(Comment, batch)
        insert_rows(
            ModerationEvent,
            ["comment", "from_status", "to_status", "reason", "at"],
            [(c.pk, "", c.status, reason, c.submitted_at) for c in batch],
        )
        batch.clear()

    for comment in comments:
        comment.status_changed_at = comment.submitted_at
        batch.append(comment)
        papers[comment.paper_id] = comment.paper
        if len(batch) >= IMPORT_BATCH:
            store()
    store()
    for paper in papers.values():
        paper_discussion_changed(paper, written_in_bulk=True)


# What an import may say of a comment beyond its text, author, place, status and time; the
# rest is derived here (its HTML above all: the body is rendered and sanitised, never taken).
IMPORTED_FIELDS = frozenset({"form_token", "client_key", "notify_replies", "by_paper_author"})


def comment_import(*, paper, identity, body, status, submitted_at, parent=None, reason, **fields):
    """One comment made elsewhere, stored as comments_import stores them; returns it.

    fields: any of IMPORTED_FIELDS it had there.
    """
    if unknown := set(fields) - IMPORTED_FIELDS:
        raise TypeError(f"comment_import() cannot take {', '.join(sorted(unknown))}")
    comment = comment_build(paper=paper, identity=identity, body=body, parent=parent)
    comment.status, comment.submitted_at = status, submitted_at
    for name, value in fields.items():
        setattr(comment, name, value)
    comments_import([comment], reason=reason)
    return comment


def _record(comment, was, status, *, actor, reason):
    """Log the change, keep the paper's count true, and tell people of a first approval."""
    approved_before = (
        status == Status.APPROVED
        and bool(was)
        and comment.events.filter(to_status=Status.APPROVED).exists()
    )
    ModerationEvent.objects.create(
        comment=comment, actor=actor, from_status=was, to_status=status, reason=reason[:300]
    )
    if Status.APPROVED in (was, status):
        paper_discussion_changed(comment.paper)
    if status == Status.APPROVED and not approved_before:
        notifications.comment_approved(comment)
    elif status == Status.PENDING and not was:
        notifications.comment_held(comment)


@transaction.atomic
def paper_discussion_changed(paper, *, written_in_bulk=False):
    """Recount the paper's approved comments and save the paper, whose discussion changed
    (papers/receivers.py lets its cached pages go on that save). written_in_bulk: its
    comments were written without a save of each, and comments_written_in_bulk says so.

    The paper's row is locked before counting, so that of two comments stored at once the
    second is counted after the first has committed (both counting first would each miss the
    other). FOR NO KEY UPDATE: the comment's own insert holds a key-share lock on the paper,
    which this must not wait for.
    """
    papers = type(paper).objects.filter(pk=paper.pk)
    list(papers.select_for_update(no_key=True).values_list("pk"))
    paper.comment_count = paper.comments.approved().count()
    paper.save(update_fields=["comment_count", "updated_at"])
    if written_in_bulk:
        comments_written_in_bulk.send(sender=Comment, paper=paper, comment_ids=None)


@transaction.atomic
def comment_set_status(comment, status, *, actor, reason=""):
    """Move a comment to a status; returns False when it was already there.

    Going to spam or trash remembers the status it had, which comment_restore puts back.
    """
    was = comment.status
    if was == status or was == Status.DELETED:  # a deleted comment's place has no status
        return False
    if status in (Status.SPAM, Status.TRASH) and was not in (Status.SPAM, Status.TRASH):
        comment.status_before = was
    comment.status = status
    comment.status_changed_at = timezone.now()
    comment.save(update_fields=["status", "status_before", "status_changed_at"])
    _record(comment, was, status, actor=actor, reason=reason)
    return True


def comment_restore(comment, *, actor, reason=""):
    """Not spam / Restore: back to the status it had before spam or trash."""
    if comment.status not in (Status.SPAM, Status.TRASH):
        return False
    return comment_set_status(
        comment, comment.status_before or Status.PENDING, actor=actor, reason=reason
    )


@transaction.atomic
def comment_edit(comment, *, body, actor):
    """A moderator's edit of the text: rendered and fingerprinted again."""
    fields = body_fields(body)
    for name, value in fields.items():
        setattr(comment, name, value)
    comment.save(update_fields=list(fields))
    ModerationEvent.objects.create(
        comment=comment,
        actor=actor,
        from_status=comment.status,
        to_status=comment.status,
        reason="text edited",
    )
    paper_discussion_changed(comment.paper)


@transaction.atomic
def comment_delete(comment):
    """Delete a comment for good; its replies move up to its parent and stay.

    The comment is read again first: deleting several of one thread in turn (a bulk action,
    purge) changes the parent, root and depth of those not yet deleted.
    """
    comment = Comment.objects.select_related("paper").filter(pk=comment.pk).first()
    if comment is None:
        return
    thread_root_id = comment.root_id or comment.pk
    thread = {
        c.pk: c
        for c in Comment.objects.filter(pk=thread_root_id)
        | Comment.objects.filter(root_id=thread_root_id)
    }
    del thread[comment.pk]
    placed = {pk: (c.parent_id, c.root_id, c.depth) for pk, c in thread.items()}
    for reply in thread.values():
        if reply.parent_id == comment.pk:
            reply.parent_id = comment.parent_id
    _reshape(thread)
    moved = [c for pk, c in thread.items() if (c.parent_id, c.root_id, c.depth) != placed[pk]]
    comment.delete()
    Comment.objects.bulk_update(moved, ["parent", "root", "depth"])
    paper_discussion_changed(comment.paper)
    if moved:  # without a save of each: what follows them (search) is told which
        ids = [c.pk for c in moved]
        comments_written_in_bulk.send(sender=Comment, paper=comment.paper, comment_ids=ids)


def _reshape(thread):
    """Recompute root and depth of comments whose ancestors changed."""

    def ancestry(reply):
        chain = []
        while reply.parent_id is not None and reply.parent_id in thread:
            reply = thread[reply.parent_id]
            chain.append(reply)
        return chain

    for reply in thread.values():
        if reply.parent_id is not None and reply.parent_id not in thread:
            reply.parent_id = None
        chain = ancestry(reply)
        reply.depth = len(chain) + 1
        reply.root_id = chain[-1].pk if chain else None


# A reply in spam or the trash does not stand under its comment: nobody sees it there.
FALLEN = (Status.SPAM, Status.TRASH)


def has_replies(comment):
    """Whether a reply stands under the comment."""
    return comment.replies.exclude(status__in=FALLEN).exists()


# Who posted a comment, as an erasure leaves it: nobody to reach or recognise.
POSTER_GONE = {
    "email": "",
    "website": "",
    "user": None,
    "by_paper_author": False,
    "client_key": "",
    "form_token": None,
    "notify_replies": False,
}
# What a comment without its words keeps: its place in its thread.
WORDS_AND_POSTER = {
    **POSTER_GONE,
    "name": "",
    "body": "",
    "body_html": "",
    "text_hash": "",
    "sketch": b"",
}


@transaction.atomic
def comment_remove(comment, *, actor=None, reason):
    """Take a comment's words away for good: deleted, or, while replies stand under it, kept
    in their thread as a placeholder (DELETED: no text, no name, no address) so that they
    keep their context. Its earlier texts and the reasons that judged them go too."""
    forget_in_admin_log([comment])
    if not has_replies(comment):
        comment_delete(comment)
        return
    was = comment.status
    for name, value in WORDS_AND_POSTER.items():
        setattr(comment, name, value)
    if was == Status.APPROVED:  # one the discussion did not show stays hidden, words gone
        comment.status, comment.status_changed_at = Status.DELETED, timezone.now()
    comment.save()
    comment.reasons.all().delete()
    comment.events.update(text_before="")
    ModerationEvent.objects.create(
        comment=comment, actor=actor, from_status=was, to_status=comment.status, reason=reason
    )
    paper_discussion_changed(comment.paper)


ERASED_IN_LOG = "a comment whose words were taken away"


def forget_in_admin_log(comments):
    """The admin's log names each comment it records by its str() (name and text): those of
    comments whose words go are renamed."""
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Comment),
        object_id__in=[str(comment.pk) for comment in comments],
    ).update(object_repr=ERASED_IN_LOG)
