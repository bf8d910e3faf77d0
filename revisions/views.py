"""A paper's revisions: the list, each earlier version as it was, any two compared, and the
page where its authors (and staff) edit it. Drafts and their revisions are for staff only
(papers.selectors.readable_papers), as the paper is."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from papers.importer import ImportProblem
from papers.selectors import readable_papers

from .compare import revisions_compared
from .editing import EditForm, may_edit
from .versions import made_by, version_of

LARGEST_NUMBER = 2**31 - 1  # a revision's number is stored in an integer column


def _paper(request, edition, slug):
    return get_object_or_404(readable_papers(request.user), edition__slug=edition, slug=slug)


def _number(value):
    """A revision number written in ASCII digits, or None."""
    if value.isascii() and value.isdigit() and len(value) <= 10 and int(value) <= LARGEST_NUMBER:
        return int(value)
    return None


@require_safe
def revision_list(request, edition, slug):
    paper = _paper(request, edition, slug)
    revisions = list(
        paper.revisions.defer("document").select_related("created_by__person").order_by("-number")
    )
    numbers = [revision.number for revision in reversed(revisions)]
    previous = [*numbers[-2::-1], None][: len(numbers)]  # the one before each, newest first
    rows = [
        (revision, made_by(revision.created_by), before)
        for revision, before in zip(revisions, previous, strict=True)
    ]
    context = {
        "paper": paper,
        "rows": rows,
        "numbers": numbers,
        "start": numbers[-2] if len(numbers) > 1 else None,
        "to": numbers[-1] if numbers else None,
        "may_edit": may_edit(request.user, paper),
    }
    return render(request, "revisions/revision_list.html", context)


@require_safe
def revision_detail(request, edition, slug, number):
    paper = _paper(request, edition, slug)
    if number > LARGEST_NUMBER:
        raise Http404("No such revision.")
    revision = get_object_or_404(
        paper.revisions.select_related("created_by__person"), number=number
    )
    try:
        version, problem = version_of(paper, revision.document), None
    except ImportProblem as error:
        version, problem = None, str(error)
    context = {
        "paper": paper,
        "revision": revision,
        "made_by": made_by(revision.created_by),
        "latest": paper.revisions.order_by("-number").values_list("number", flat=True).first(),
        "version": version,
        "problem": problem,
        "may_edit": may_edit(request.user, paper),
    }
    return render(request, "revisions/revision_detail.html", context)


@require_safe
def revision_compare(request, edition, slug):
    """?from=A&to=B compares revision A with revision B (the latest and the one before it
    when left out)."""
    paper = _paper(request, edition, slug)
    numbers = list(paper.revisions.order_by("number").values_list("number", flat=True))
    if not numbers:
        raise Http404("This paper has no revisions.")
    asked = {key: request.GET.get(key) for key in ("from", "to")}
    to = _number(asked["to"]) if asked["to"] is not None else numbers[-1]
    start = _number(asked["from"]) if asked["from"] is not None else None
    if start is None and asked["from"] is None and to in numbers:
        start = numbers[max(0, numbers.index(to) - 1)]
    if start not in numbers or to not in numbers:
        raise Http404("No such revision.")
    documents = dict(
        paper.revisions.filter(number__in={start, to}).values_list("number", "document")
    )
    context = {
        "paper": paper,
        "start": start,
        "to": to,
        "numbers": numbers,
        "comparison": revisions_compared(
            documents[start], documents[to], whole=may_edit(request.user, paper)
        ),
    }
    return render(request, "revisions/revision_compare.html", context)


@require_http_methods(["GET", "POST"])
def paper_edit(request, edition, slug):
    """The paper as one Markdown document, for its authors and staff to change: Preview
    shows the article as readers will see it, writing nothing; Save makes a revision."""
    paper = _paper(request, edition, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not may_edit(request.user, paper):
        raise PermissionDenied
    form, preview = EditForm(paper=paper, user=request.user), None
    if request.method == "POST":
        form = EditForm(request.POST, paper=paper, user=request.user)
        if form.is_valid() and "preview" in request.POST:
            preview = form.preview(request)
        elif form.is_valid() and (saved := form.save()):
            paper, revision = saved
            if revision is None:
                messages.info(request, "Nothing changed: no new revision was made.")
            else:
                messages.success(request, f"Saved as revision {revision.number}.")
            return redirect(paper)
    context = {"paper": paper, "form": form, "preview": preview}
    return render(request, "revisions/paper_edit.html", context)
