"""Reading comments: a paper's discussion, and what a paper author has yet to answer."""

from django.db.models import Q

from .models import Comment


def paper_discussion(paper, *, own_held_ids=(), moderator=False):
    """The approved comments of a paper, plus the visitor's own held ones, in thread order.

    Moderators also see every pending comment, so "view on site" shows it in context.
    """
    shown = Q(status=Comment.Status.APPROVED)
    if moderator:
        shown |= Q(status=Comment.Status.PENDING)
    if own_held_ids:
        # Their spam shows as held too: a bot trap gives the sender no hint.
        held = [Comment.Status.PENDING, Comment.Status.SPAM]
        shown |= Q(status__in=held, pk__in=own_held_ids)
    return list(Comment.objects.filter(shown, paper=paper).in_thread_order())


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


def comment_location(comment):
    """Where a comment is shown: its paper's page, at the comment's anchor."""
    return f"{comment.paper.get_absolute_url()}#{comment.anchor}"
