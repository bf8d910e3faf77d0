"""{% discussion %}: the comments and the reply form at the end of a paper page.

The papers app only names this tag; everything about comments stays in this app.
"""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe

from common.page_cache import serve_fresh

from ..forms import CommentForm
from ..models import Comment
from ..selectors import discussion_page_url, paper_discussion
from ..threads import thread_html
from ..tokens import new_form_token
from ..visitor import remembered_details, viewer

register = template.Library()


def _reply_target(request, paper):
    """The approved comment of this paper that ?replyto=ID asks to answer, if there is one.

    Our reply links write ID in ASCII digits; anything else names no comment. (str.isdigit
    also takes "²" and "٣", which int() refuses, and int() refuses more than 4,300 digits; an
    id beyond the column's range finds nothing.)
    """
    replyto = request.GET.get("replyto", "")
    if not (replyto.isascii() and replyto.isdigit() and len(replyto) <= 20):
        return None
    return Comment.objects.approved().filter(pk=int(replyto), paper=paper).first()


@register.simple_tag(takes_context=True)
def discussion(context):
    """The discussion: comments/discussion.html's two halves around the list of comments."""
    request, paper = context["request"], context["paper"]
    looking = viewer(request)
    page = paper_discussion(paper, page=context.get("comments_page", 1), viewer=looking)
    form = context.get("comment_form")
    reply_to = None
    if form is None and paper.comments_open:
        reply_to = _reply_target(request, paper)
        initial = remembered_details(request)
        if reply_to:
            initial["parent"] = reply_to.pk
        form = CommentForm(paper=paper, user=request.user, initial=initial)
        serve_fresh(request, form.initial["token"], new_form_token)
    elif form is not None:
        reply_to = form.cleaned_data.get("parent") if hasattr(form, "cleaned_data") else None
    page_url = discussion_page_url(paper, page.number)
    thread = thread_html(
        page.comments,
        page_url=page_url,
        max_depth=settings.COLLOQUY_MAX_THREAD_DEPTH,
        replies_open=paper.comments_open,
        own_ids=looking.own_held_ids,
    )
    values = {
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
        "paper": paper,
        "count": paper.comment_count,
        "page": page,
        "older_url": discussion_page_url(paper, page.number - 1) if page.has_previous else "",
        "newer_url": discussion_page_url(paper, page.number + 1) if page.has_next else "",
        "has_comments": bool(thread),
        "form": form,
        "reply_to": reply_to,
        "page_url": page_url,
        "permalink_url": reverse("comments:permalink", args=[0]),
        "unposted_body": context.get("unposted_body", ""),
    }
    engine = context.template.engine
    halves = [
        engine.get_template(f"comments/discussion.html#{half}").render(context.new(values))
        for half in ("opening", "closing")
    ]
    return mark_safe("".join([halves[0], thread, halves[1]]))
