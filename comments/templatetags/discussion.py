"""{% discussion %}: the comments and the reply form at the end of a paper page.

The papers app only names this tag; everything about comments stays in this app, and their
look in one template, comments/jinja2/comments/discussion.html.
"""

from django import template
from django.conf import settings
from django.template import engines
from django.urls import reverse
from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import mark_safe

from common.page_cache import serve_fresh
from common.site import absolute_url
from papers.discussion import discussion_state

from ..forms import CommentForm
from ..own import changeable_ids
from ..selectors import comment_to_reply_to, discussion_page_url, paper_discussion
from ..threads import arrange
from ..tokens import new_form_token
from ..visitor import remembered_details, viewer

register = template.Library()


def _reply_target(request, paper):
    """The comment of this paper that ?replyto=ID asks to answer, if it may be answered.

    Our reply links write ID in ASCII digits; anything else names no comment. (str.isdigit
    also takes "²" and "٣", which int() refuses, and int() refuses more than 4,300 digits; an
    id beyond the column's range finds nothing.)
    """
    replyto = request.GET.get("replyto", "")
    if not (replyto.isascii() and replyto.isdigit() and len(replyto) <= 20):
        return None
    return comment_to_reply_to(paper, int(replyto))


def _form(context, request, paper, state):
    """The form as posted (shown again with what is wrong), or a new one (none when the
    discussion is closed); and the comment it replies to."""
    form = context.get("comment_form")
    if form is not None:
        return form, context.get("reply_to")
    if not state.is_open:
        return None, None
    reply_to = _reply_target(request, paper)
    initial = remembered_details(request)
    if reply_to:
        initial["parent"] = reply_to.pk
    form = CommentForm(paper=paper, user=request.user, initial=initial)
    serve_fresh(request, form.initial["token"], new_form_token)
    return form, reply_to


@register.simple_tag(takes_context=True)
def discussion(context):
    """The discussion of context["paper"] at context["comments_page"], drawn by
    comments/jinja2/comments/discussion.html; the form as posted, if there is one."""
    request, paper = context["request"], context["paper"]
    looking = viewer(request)
    page = paper_discussion(paper, page=context.get("comments_page", 1), viewer=looking)
    threads, replies = arrange(page.comments, settings.COLLOQUY_MAX_THREAD_DEPTH)
    state = discussion_state(paper)
    form, reply_to = _form(context, request, paper, state)
    permalink_of_0 = reverse("comments:permalink", args=[0])
    comments_url = permalink_of_0.removesuffix("0/")  # /comments/
    values = {
        "user": request.user,
        "paper": paper,
        "count": paper.comment_count,
        "page": page,
        "older_url": discussion_page_url(paper, page.number - 1) if page.has_previous else "",
        "newer_url": discussion_page_url(paper, page.number + 1) if page.has_next else "",
        "threads": threads,
        "replies": replies,
        "own_ids": frozenset(looking.own_held_ids),
        "changeable_ids": changeable_ids(request, page.comments, replies),
        "max_depth": settings.COLLOQUY_MAX_THREAD_DEPTH,
        "edit_minutes": settings.COLLOQUY_EDIT_WINDOW_MINUTES,
        "replies_open": state.is_open,
        "closed": None if state.is_open else state,
        "closed_on": formats.date_format(state.closed_on, "j F Y") if state.closed_on else "",
        "form": form,
        "reply_to": reply_to,
        "page_url": discussion_page_url(paper, page.number),
        "permalink_url": permalink_of_0,
        # A comment's addresses are these + pk + "/..." (escaped once, here): its own pages
        # (edit, delete), and its permalink in full for "Cite".
        "own_url": escape(comments_url),
        "cite_url": escape(absolute_url(comments_url)),
        "cite_of": escape(f"Comment on “{paper.title}” [Comment]. {settings.COLLOQUY_SITE_NAME}."),
        "unposted_body": context.get("unposted_body", ""),
    }
    template = engines["jinja2"].get_template("comments/discussion.html")
    return mark_safe(template.render(values, request))
