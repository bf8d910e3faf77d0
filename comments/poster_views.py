"""A poster's own comment: edit it, or delete it, while comments/own.py allows."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from papers.models import Paper

from .forms import CommentEditForm
from .models import Comment
from .own import Unchangeable, comment_revise, comment_take_back, is_poster, why_unchangeable
from .selectors import comment_location, discussion_page_url, is_shown
from .services import CommentRefused
from .visitor import remember_held_comment, viewer

NOT_YOURS = (
    "Only the person who posted a comment can change it, from the browser they posted it from."
)


def _comment(request, comment_id):
    """The comment, if this visitor's pages show it or they posted it (else: not found, as a
    comment they cannot see is not there for them)."""
    comment = get_object_or_404(
        Comment.objects.select_related("paper__edition").filter(
            paper__in=Paper.objects.visible_to(request.user)
        ),
        pk=comment_id,
    )
    if comment.status == Comment.Status.DELETED:
        raise Http404
    if not is_poster(request, comment) and not is_shown(comment, viewer(request)):
        raise Http404
    return comment


def _refused(request, template, comment, reason, form=None):
    context = {"comment": comment, "paper": comment.paper, "reason": reason, "form": form}
    return render(request, template, context, status=403)


@require_http_methods(["GET", "POST"])
def edit_comment(request, comment_id):
    """Its own page, and (site.js) the form it puts in place of the comment's text."""
    comment = _comment(request, comment_id)
    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    if not is_poster(request, comment):
        return _refused(request, "comments/edit.html", comment, NOT_YOURS, form)
    if reason := why_unchangeable(comment):
        return _refused(request, "comments/edit.html", comment, reason, form)
    if request.method == "POST" and form.is_valid():
        try:
            comment = comment_revise(comment, body=form.cleaned_data["body"])
        except Unchangeable as unchangeable:
            return _refused(request, "comments/edit.html", comment, str(unchangeable), form)
        except CommentRefused as refused:
            form.add_error("body", refused.finding.message)
        else:
            if comment.status != Comment.Status.APPROVED:
                remember_held_comment(request, comment)
            return redirect(comment_location(comment, viewer(request)))
    status = 400 if form.is_bound else 200
    context = {"comment": comment, "paper": comment.paper, "form": form}
    return render(request, "comments/edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
def delete_comment(request, comment_id):
    """A page with one button: a link followed (by a mail scanner, a prefetch) deletes nothing."""
    comment = _comment(request, comment_id)
    if not is_poster(request, comment):
        return _refused(request, "comments/delete.html", comment, NOT_YOURS)
    if reason := why_unchangeable(comment):
        return _refused(request, "comments/delete.html", comment, reason)
    if request.method == "POST":
        try:
            comment_take_back(comment)
        except Unchangeable as unchangeable:
            return _refused(request, "comments/delete.html", comment, str(unchangeable))
        messages.success(request, "Your comment was deleted.")
        return redirect(f"{discussion_page_url(comment.paper, 1)}#comments")
    return render(request, "comments/delete.html", {"comment": comment, "paper": comment.paper})
