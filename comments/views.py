"""Posting a comment, following a comment's permalink, unsubscribing, and an author's inbox."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from common.names import clean_name
from common.page_cache import shared_page
from papers.discussion import discussion_state
from papers.models import Paper, Person
from papers.selectors import paper_page_context, readable_papers

from .forms import CommentForm
from .models import Comment
from .own import remember_own_comment
from .selectors import (
    comment_location,
    comment_page_number,
    comment_to_reply_to,
    comments_awaiting_reply,
    discussion_page_count,
    discussion_page_url,
    is_shown,
)
from .services import FORM_USED, ClientSignals, CommentRefused, Identity, comment_create
from .tokens import form_key, form_token_age, read_unsubscribe_token
from .visitor import client_key_of, remember_held_comment, update_remembered_details, viewer

PARENT_GONE = "The comment you are replying to is not (or no longer) shown on this paper."


def _identity(request, data):
    if request.user.is_authenticated:
        user = request.user
        # An author signs as their byline says; their account may have no name of its own
        # (one made for an imported author).
        byline = Person.objects.filter(user=user).values_list("display_name", flat=True)
        name = clean_name(byline.first() or user.get_full_name()) or user.get_username()
        return Identity(name=name, email=user.email, user=user)
    return Identity(name=data["name"], email=data["email"], website=data["website"])


def _page_again(request, paper, *, status, comment_form=None, unposted_body=""):
    """The paper page again, at the discussion page the poster was replying on, with the
    form as posted and what is wrong with it (or, comments being closed, the text that could
    not be posted)."""
    parent_id = comment_form.cleaned_data.get("parent") if comment_form else None
    reply_to = comment_to_reply_to(paper, parent_id) if parent_id is not None else None
    number = comment_page_number(reply_to, viewer(request)) if reply_to else 1
    context = {
        **paper_page_context(request, paper, page_path=discussion_page_url(paper, number)),
        "comments_page": number,
        "comment_form": comment_form,
        "reply_to": reply_to,
        "unposted_body": unposted_body,
    }
    return render(request, "papers/paper_detail.html", context, status=status)


def _refusal_message(finding):
    earlier = finding.related
    if earlier is None:
        return finding.message
    if earlier.status == Comment.Status.APPROVED:
        return format_html(
            '{} <a href="{}">See your earlier comment.</a>',
            finding.message,
            earlier.get_absolute_url(),
        )
    return format_html("{} Your earlier comment is awaiting moderation.", finding.message)


def _csrf_rejection(request):
    """Signed-in posters are held to CSRF as usual (see post_comment)."""
    return CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})


@csrf_exempt
@require_POST
def post_comment(request, paper_id):
    """Post a comment or a reply.

    Guests post without a CSRF token so the paper page can be cached whole for them; their
    form carries its own signed token instead, and a forged guest post could only say what
    a stranger could say anyway. Signed-in users, whose name a forgery would borrow, must
    pass the CSRF check.
    """
    if request.user.is_authenticated and (rejection := _csrf_rejection(request)):
        return rejection
    paper = get_object_or_404(readable_papers(request.user), pk=paper_id)
    if not discussion_state(paper).is_open:
        return _page_again(request, paper, status=403, unposted_body=request.POST.get("body", ""))
    form = CommentForm(request.POST, paper=paper, user=request.user)
    if not form.is_valid():
        return _page_again(request, paper, status=400, comment_form=form)
    data = form.cleaned_data
    parent = comment_to_reply_to(paper, data["parent"]) if data["parent"] is not None else None
    if data["parent"] is not None and parent is None:  # removed, held, or another paper's
        form.add_error(None, PARENT_GONE)
        return _page_again(request, paper, status=400, comment_form=form)
    identity = _identity(request, data)
    signals = ClientSignals(
        client_key=client_key_of(request),
        seconds_to_post=form_token_age(data["token"]),
        honeypot=data.get("url", ""),
    )
    try:
        comment, _created = comment_create(
            paper=paper,
            identity=identity,
            body=data["body"],
            parent=parent,
            notify_replies=data["notify"],
            key=form_key(data["token"]),
            signals=signals,
        )
    except CommentRefused as refused:
        if refused.finding is FORM_USED:
            form.renew_token()
        form.add_error(None, _refusal_message(refused.finding))
        return _page_again(request, paper, status=refused.finding.http_status, comment_form=form)
    if comment.status != Comment.Status.APPROVED:
        remember_held_comment(request, comment)
    response = redirect(comment_location(comment, viewer(request)))
    if not request.user.is_authenticated:
        update_remembered_details(request, response, remember=data["remember"], details=data)
        remember_own_comment(request, response, comment)
    return response


@shared_page(versioned_by=("edition", "slug"))
def discussion_page(request, edition, slug, page):
    """Page 2 onwards of a long discussion; page 1 is the paper's own address."""
    paper = get_object_or_404(readable_papers(request.user), edition__slug=edition, slug=slug)
    if page == 1:
        return redirect(paper, permanent=True)
    if page > discussion_page_count(paper, viewer(request)):
        raise Http404("No such page of comments.")
    context = {**paper_page_context(request, paper, page_path=request.path), "comments_page": page}
    return render(request, "papers/paper_detail.html", context)


def permalink(request, comment_id):
    """Send a comment's permanent address to the page of the discussion that shows it.

    A comment this visitor's pages do not show (held or removed, or in a thread whose
    top-level comment is) leads to its paper, without saying more; a comment on a draft, or
    one that never was, is not found.
    """
    comment = get_object_or_404(
        Comment.objects.select_related("paper__edition").filter(
            paper__in=Paper.objects.visible_to(request.user)
        ),
        pk=comment_id,
    )
    looking = viewer(request)
    if not is_shown(comment, looking):
        return redirect(comment.paper)
    return redirect(comment_location(comment, looking))


@require_http_methods(["GET", "POST"])
@csrf_exempt
def unsubscribe(request, token):
    """Stop reply notifications for a paper's thread: a GET shows one button (a mail scanner
    following the link changes nothing), its POST, or a mail client's RFC 8058 one-click
    POST, unsubscribes. The token is the authority, so no CSRF token is asked for."""
    max_age = settings.COLLOQUY_UNSUBSCRIBE_MAX_AGE_DAYS * 24 * 3600
    comment_id = read_unsubscribe_token(token, max_age=max_age)
    comment = Comment.objects.select_related("paper__edition").filter(pk=comment_id).first()
    if comment is None:
        return render(request, "comments/unsubscribe.html", {"invalid": True}, status=400)
    context = {"paper": comment.paper, "done": request.method == "POST"}
    if context["done"]:
        Comment.objects.filter(paper=comment.paper, email=comment.email).update(
            notify_replies=False
        )
    return render(request, "comments/unsubscribe.html", context)


@login_required
def me(request):
    awaiting = comments_awaiting_reply(request.user)
    return render(request, "comments/me.html", {"awaiting": awaiting})
