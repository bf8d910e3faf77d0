"""Reading comments: a paper's discussion, and what a paper author has yet to answer."""

from bisect import bisect_right
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from papers.selectors import revision_times

from .models import Comment
from .threads import THREAD_COLUMNS, ThreadItem


@dataclass
class DiscussionPage:
    comments: list
    number: int = 1
    has_next: bool = False
    # {comment id: (revision number, its page's address)} for the comments of this page
    # written on an earlier version of the paper than the latest
    earlier: dict = field(default_factory=dict)

    @property
    def has_previous(self):
        return self.number > 1


def _rows(queryset):
    rows = queryset.in_thread_order().values_list(*THREAD_COLUMNS)
    return [ThreadItem.from_row(row) for row in rows]


@dataclass(frozen=True)
class Viewer:
    """Who is looking: the ids of their own held comments, and whether they moderate."""

    own_held_ids: tuple = ()
    moderator: bool = False


EVERYONE = Viewer()


# What every reader sees: approved comments, and the places of deleted ones with replies.
SHOWN_TO_EVERYONE = (Comment.Status.APPROVED, Comment.Status.DELETED)


def _shown(viewer):
    """The comments this viewer sees: approved ones and the places of deleted ones (their
    replies stand under them), their own held ones (their spam shows as held too: a bot
    trap gives the sender no hint), and for moderators every pending one (so "view on site"
    shows it in context)."""
    shown = Q(status__in=SHOWN_TO_EVERYONE)
    if viewer.moderator:
        shown |= Q(status=Comment.Status.PENDING)
    if viewer.own_held_ids:
        held = [Comment.Status.PENDING, Comment.Status.SPAM]
        shown |= Q(status__in=held, pk__in=viewer.own_held_ids)
    return shown


# A reply is shown while its thread's top-level comment is (see is_shown), or the place of a
# deleted one stands.
IN_SHOWN_THREAD = Q(root__isnull=True) | Q(root__status__in=SHOWN_TO_EVERYONE)


def public_comments():
    """The approved comments every reader sees (feeds and search list these): the replies
    of a hidden thread are not."""
    return Comment.objects.approved().filter(IN_SHOWN_THREAD)


def visible_comments(viewer=EVERYONE):
    return Comment.objects.filter(_shown(viewer))


def is_shown(comment, viewer=EVERYONE):
    """Whether the viewer's pages show the comment: it and its thread's top-level comment
    are visible to them (a thread goes with its top-level comment, as in WordPress)."""
    ids = {comment.pk, comment.root_id or comment.pk}
    return visible_comments(viewer).filter(pk__in=ids).count() == len(ids)


def written_on(paper, comments):
    """{comment id: (revision number, its page's address)} for those of the comments
    written on an earlier revision of the paper than its latest: each was written on the
    latest revision made at or before its submitted_at (the first, for one written before
    any). One query (papers.selectors.revision_times), asked on every page, so that a page
    costs as many queries with comments as without."""
    times = revision_times(paper)
    if len(times) < 2:
        return {}
    made = [created_at for _number, created_at in times]
    latest = times[-1][0]
    urls, earlier = {}, {}
    for comment in comments:
        number = times[max(0, bisect_right(made, comment.submitted_at) - 1)][0]
        if number != latest:
            if number not in urls:
                urls[number] = reverse(
                    "revisions:revision", args=[paper.edition.slug, paper.slug, number]
                )
            earlier[comment.pk] = (number, urls[number])
    return earlier


def paper_discussion(paper, *, page=1, viewer=EVERYONE):
    """One page of a paper's discussion, in thread order: two queries, however long it is,
    and one for the paper's revisions (which comments were written on an earlier one).

    Pages hold whole threads: COLLOQUY_THREADS_PER_PAGE top-level comments with all their
    replies (0: one page).
    """
    visible = visible_comments(viewer).filter(paper=paper)
    per_page = settings.COLLOQUY_THREADS_PER_PAGE
    if not per_page:
        comments = _rows(visible)
        return DiscussionPage(comments, earlier=written_on(paper, comments))
    start = (page - 1) * per_page
    top = visible.filter(parent__isnull=True).in_thread_order().values_list("pk", flat=True)
    roots = list(top[start : start + per_page + 1])
    threads = visible.filter(Q(pk__in=roots[:per_page]) | Q(root_id__in=roots[:per_page]))
    comments = _rows(threads)
    return DiscussionPage(
        comments,
        number=page,
        has_next=len(roots) > per_page,
        earlier=written_on(paper, comments),
    )


def discussion_page_count(paper, viewer=EVERYONE):
    per_page = settings.COLLOQUY_THREADS_PER_PAGE
    if not per_page:
        return 1
    threads = visible_comments(viewer).filter(paper=paper, parent__isnull=True).count()
    return max(1, -(-threads // per_page))


def discussion_page_url(paper, number):
    if number <= 1:
        return paper.get_absolute_url()
    return reverse(
        "comments:page",
        kwargs={"edition": paper.edition.slug, "slug": paper.slug, "page": number},
    )


def comment_page_number(comment, viewer=EVERYONE):
    """The page of the discussion, as this viewer's pages run, that holds the comment's thread."""
    per_page = settings.COLLOQUY_THREADS_PER_PAGE
    if not per_page:
        return 1
    root = comment.root if comment.root_id else comment
    earlier = visible_comments(viewer).filter(
        Q(submitted_at__lt=root.submitted_at) | Q(submitted_at=root.submitted_at, pk__lt=root.pk),
        paper=comment.paper_id,
        parent__isnull=True,
    )
    return earlier.count() // per_page + 1


def comment_location(comment, viewer=EVERYONE):
    """Where a comment is shown to this viewer: the page holding its thread, at its anchor."""
    page_url = discussion_page_url(comment.paper, comment_page_number(comment, viewer))
    return f"{page_url}#{comment.anchor}"


def comment_to_reply_to(paper, comment_id):
    """The comment of this paper with this id, if it is shown and so may be answered."""
    return Comment.objects.approved().filter(pk=comment_id, paper=paper).first()


def comments_awaiting_reply(user):
    """Top-level comments on the user's papers with no author reply anywhere in their thread."""
    answered = Comment.objects.approved().filter(by_paper_author=True, root__isnull=False)
    return (
        Comment.objects.approved()
        .filter(paper__authorships__person__user=user, parent__isnull=True, by_paper_author=False)
        .exclude(pk__in=answered.values("root_id"))
        .select_related("paper__edition")
        .order_by("-submitted_at", "-id")
    )
