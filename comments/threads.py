"""A paper's discussion as nested HTML, built in one pass over comments already in memory.

The comments arrive in one ordered query; the tree is made here, in Python, and written with
one format string per comment instead of a template include per comment, so a thousand
comments cost milliseconds and no extra queries. A reply's <li> sits inside its parent's
<ol class="children">, as WordPress nests them.
"""

from collections import defaultdict
from html import escape
from typing import NamedTuple

from django.utils import timezone
from django.utils.safestring import mark_safe

from common.names import NO_NAME, clean_name, display_name

from .models import Comment


class ThreadItem(NamedTuple):
    """The columns a comment in a discussion needs, read without building model instances."""

    pk: int
    parent_id: int | None
    root_id: int | None
    depth: int
    name: str
    status: str
    by_paper_author: bool
    heading_html: str
    body_html: str


THREAD_COLUMNS = ("id", *ThreadItem._fields[1:])
APPROVED = Comment.Status.APPROVED.value

UNTRUSTED_LINK_REL = "ugc external nofollow noopener"
WEB_SCHEMES = ("http://", "https://")

_REPLY = (
    '<p class="reply"><a class="comment-reply-link" rel="nofollow"'
    ' href="{url}?replyto={id}#respond" data-comment-id="{id}" data-author="{name}"'
    ' aria-label="Reply to {name}">Reply</a></p>'
)
_AUTHOR_BADGE = ' <span class="badge author-badge">Author</span>'
_HELD = '<p class="comment-awaiting-moderation">Your comment is awaiting moderation.</p>'
_HELD_FOR_MODERATOR = '<p class="comment-awaiting-moderation">Awaiting moderation.</p>'


def arrange(comments):
    """Top-level comments and a parent id → replies map, both in the order given.

    A reply whose parent is not shown (removed by a moderator) is shown under its thread's
    top-level comment, or at the top level if that is gone too.
    """
    present = {comment.pk for comment in comments}
    top, replies = [], defaultdict(list)
    for comment in comments:
        parent_id = comment.parent_id if comment.parent_id in present else None
        if parent_id is None and comment.root_id in present:
            parent_id = comment.root_id
        if parent_id is None:
            top.append(comment)
        else:
            replies[parent_id].append(comment)
    return top, replies


MONTHS = (
    None,
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def comment_heading_html(comment):
    """The opening of a comment's <article>: who wrote it, and when, linked to its anchor.

    Stored with the comment when it is saved (like its body_html), so that showing a
    discussion only assembles stored pieces. Dates are in settings.TIME_ZONE. The name is
    written without invisible characters, whatever was stored: a right-to-left override in it
    would turn the rest of the line around.
    """
    name = escape(clean_name(comment.name) or NO_NAME)
    author = name
    if comment.website.lower().startswith(WEB_SCHEMES):  # only the form checks it otherwise
        author = f'<a href="{escape(comment.website)}" rel="{UNTRUSTED_LINK_REL}">{name}</a>'
    when = timezone.localtime(comment.submitted_at)
    return (
        f'<article class="comment-body" aria-label="Comment by {name}">'
        f'<footer class="comment-meta"><span class="comment-author">{author}</span>'
        f"{_AUTHOR_BADGE if comment.by_paper_author else ''} "
        f'<a class="comment-date" href="#comment-{comment.pk}"><time datetime="'
        f"{when.year:04d}-{when.month:02d}-{when.day:02d}T{when.hour:02d}:{when.minute:02d}"
        f'">{when.day} {MONTHS[when.month]} {when.year} at {when.hour:02d}:{when.minute:02d}'
        "</time></a></footer>"
    )


def _write_comment(out, comment, *, page_url, can_reply, own_ids):
    """Append the opening <li> and the whole <article> of one comment to out."""
    held = comment.status != APPROVED
    classes = (" by-author" if comment.by_paper_author else "") + (" held" if held else "")
    pk = comment.pk
    out.append(f'<li id="comment-{pk}" class="comment depth-{comment.depth}{classes}">')
    out.append(comment.heading_html)
    out.append('<div class="comment-content">')
    out.append(comment.body_html)
    out.append("</div>")
    if held:
        out.append(_HELD if pk in own_ids else _HELD_FOR_MODERATOR)
    elif can_reply:
        out.append(
            _REPLY.format(url=page_url, id=pk, name=escape(display_name(comment.name) or NO_NAME))
        )
    out.append("</article>")


def thread_html(comments, *, page_url, max_depth, replies_open=True, own_ids=()):
    """The discussion's nested <li> elements, to put in <ol class="comment-list">."""
    top, replies = arrange(comments)
    out = []

    def write(comment):
        can_reply = replies_open and comment.depth < max_depth
        _write_comment(out, comment, page_url=page_url, can_reply=can_reply, own_ids=own_ids)
        children = replies.get(comment.pk)
        if children:
            out.append('<ol class="children">')
            for child in children:
                write(child)
            out.append("</ol>")
        out.append("</li>")

    for comment in top:
        write(comment)
    return mark_safe("".join(out))
