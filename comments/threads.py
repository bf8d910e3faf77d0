"""A page of a paper's discussion as threads, arranged in one pass over comments in memory.

The comments arrive in one ordered query, as plain rows (no model instances); the tree is
made here, in Python, and drawn by comments/jinja2/comments/discussion.html, whose
recursive loop puts a reply's <li> inside its parent's <ol class="children">, as WordPress
nests them.

The template draws the list without autoescaping (an escape call for each of the dozen
values a comment shows was half the page's time at a thousand comments): what it reads of
a comment is made safe here instead, once, when the row is read. The name and website are
escaped, a website that is not an http(s) address is dropped, and the body is the
sanitised HTML stored with the comment.
"""

from collections import defaultdict
from datetime import datetime
from typing import NamedTuple

from markupsafe import escape

from common.names import name_as_shown


class ThreadItem(NamedTuple):
    """The columns a comment in a discussion needs, read without building model instances."""

    pk: int
    parent_id: int | None
    root_id: int | None
    depth: int
    name: str
    website: str
    status: str
    by_paper_author: bool
    submitted_at: datetime
    edited_at: datetime | None
    body_html: str
    user_id: int | None  # not shown: whether the reader posted it (comments/own.py)

    @classmethod
    def from_row(cls, row):
        """A row of THREAD_COLUMNS as the template takes it: every text safe to show."""
        pk, parent_id, root_id, depth, name, website, status, by_author, *rest = row
        website = escape(website) if is_web_address(website) else ""
        name = escape(name_as_shown(name))
        return cls(pk, parent_id, root_id, depth, name, website, status, by_author, *rest)


THREAD_COLUMNS = ("id", *ThreadItem._fields[1:])


def is_web_address(value):
    """Only http(s) websites are linked (the form refuses others; older rows may hold any)."""
    return value.lower().startswith(("http://", "https://"))


def arrange(comments, max_depth=None):
    """Top-level comments and a parent id → replies map, both in the order given.

    A reply whose parent is not shown (removed by a moderator) is shown under its thread's
    top-level comment, or at the top level if that is gone too. A reply deeper than
    max_depth (a thread imported as it was) is shown at the deepest level, beside its parent.
    """
    present = {comment.pk: comment for comment in comments}
    top, replies = [], defaultdict(list)
    for comment in comments:
        parent_id = comment.parent_id if comment.parent_id in present else None
        if parent_id is None and comment.root_id in present:
            parent_id = comment.root_id
        while max_depth and parent_id is not None and present[parent_id].depth >= max_depth:
            parent_id = present[parent_id].parent_id
            if parent_id not in present:
                parent_id = comment.root_id if comment.root_id in present else None
        if parent_id is None:
            top.append(comment)
        else:
            replies[parent_id].append(comment)
    return top, dict(replies)
