"""Reading comments: a paper's discussion, and what a paper author has yet to answer."""

from django.db.models import Q

from .models import Comment


def paper_discussion(paper, *, own_held_ids=()):
    """The approved comments of a paper, plus the visitor's own held ones, in thread order."""
    shown = Q(status=Comment.Status.APPROVED)
    if own_held_ids:
        shown |= Q(status=Comment.Status.PENDING, pk__in=own_held_ids)
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
