"""The authors' pages: their profile, their papers, and papers sent in through a call for
papers (written, previewed, sent; changed and sent again when returned)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone

from papers.importer import ImportProblem
from papers.models import Edition, Person
from papers.selectors import paper_page_context

from .documents import TEMPLATE
from .forms import ProfileForm, SubmissionForm
from .selectors import editions_with_calls, papers_of, submissions_visible_to
from .services import (
    NotAllowed,
    call_is_open,
    profile_update,
    submission_create,
    submission_preview,
    submission_resubmit,
)


def _person(user):
    return Person.objects.filter(user=user).first()


def _refused(request, title, message, *, status=403, **context):
    """A page that says plainly why what was asked cannot be done."""
    context = {"title": title, "message": message, **context}
    return render(request, "authoring/refused.html", context, status=status)


@login_required
def profile(request):
    person = _person(request.user)
    if person is None:
        return render(request, "authoring/no_profile.html", {"calls": editions_with_calls()})
    form = ProfileForm(request.POST or None, request.FILES or None, instance=person)
    if request.method == "POST" and form.is_valid():
        profile_update(
            form.save(commit=False),
            photo=form.cleaned_data["photo"],
            remove_photo=form.cleaned_data.get("remove_photo", False),
        )
        messages.success(request, "Your profile is saved.")
        return redirect("authoring:profile")
    return render(request, "authoring/profile.html", {"form": form, "person": person})


@login_required
def my_papers(request):
    person = _person(request.user)
    context = {
        "person": person,
        "papers": papers_of(person) if person else [],
        "calls": editions_with_calls(),
    }
    return render(request, "authoring/my_papers.html", context)


def _paper_form_page(request, form, *, submission=None, edition):
    """Preview or send the paper of a valid bound form; None when the page is to be shown
    (again), with the preview or the problems; else the redirect."""
    data = form.cleaned_data
    arguments = {"stream": data["stream"], "text": data["document"], "authors": data["authors"]}
    try:
        if "preview" in request.POST:
            form.preview = submission_preview(
                request, user=request.user, edition=edition, submission=submission, **arguments
            )
            return None
        if submission is None:
            submission = submission_create(user=request.user, edition=edition, **arguments)
            messages.success(request, "Your paper is submitted. We have sent you a confirmation.")
        else:
            submission = submission_resubmit(submission, user=request.user, **arguments)
            messages.success(request, "Your paper is submitted again.")
    except ImportProblem as problem:
        form.add_problem(problem)
        return None
    except NotAllowed as refusal:
        form.add_error(None, str(refusal))
        return None
    return redirect(submission)


@login_required
def submit(request, edition):
    edition = get_object_or_404(Edition, slug=edition)
    today = timezone.localdate()
    if not call_is_open(edition, today=today):
        return _refused(
            request,
            f"The call for papers of {edition} is not open",
            "",
            edition=edition,
            today=today,
            call_closed=True,
        )
    if not request.user.email:
        return _refused(
            request,
            "Your account has no e-mail address",
            "The organisers write to you about your paper at your account's e-mail address. "
            "Please ask them to add one to your account, then come back.",
        )
    person = _person(request.user)
    form = SubmissionForm(
        request.POST or None,
        request.FILES or None,
        edition=edition,
        user=request.user,
        person=person,
    )
    if not form.is_bound:
        form.initial = {"authors": form.initial_author_line(), "document": TEMPLATE}
    if form.is_bound and form.is_valid():
        answer = _paper_form_page(request, form, edition=edition)
        if answer:
            return answer
    context = {"form": form, "edition": edition, "preview": getattr(form, "preview", None)}
    return render(request, "authoring/submit.html", context)


def _visible_submission(request, pk):
    return get_object_or_404(submissions_visible_to(request.user), pk=pk)


@login_required
def submission_detail(request, pk):
    submission = _visible_submission(request, pk)
    paper = submission.paper
    article = render_to_string(
        "papers/paper_detail.html#article", paper_page_context(request, paper), request
    )
    context = {
        "submission": submission,
        "paper": paper,
        "events": submission.events.select_related("by"),
        "article": article,
    }
    return render(request, "authoring/submission_detail.html", context)


def _author_lines(paper):
    return "\n".join(
        f"{person.display_name} <{person.user.email}>"
        if person.user and person.user.email
        else person.display_name
        for person in paper.authors.select_related("user").order_by("authorships__position")
    )


@login_required
def submission_edit(request, pk):
    submission = _visible_submission(request, pk)
    paper = submission.paper
    if not submission.is_editable:
        return _refused(
            request,
            "This submission cannot be changed now",
            f"It is {submission.get_state_display().lower()}. A submission can be changed and "
            "sent again when the organisers return it to its authors.",
            submission=submission,
        )
    person = _person(request.user)
    is_author = paper.authorships.filter(person__user=request.user).exists()
    form = SubmissionForm(
        request.POST or None,
        request.FILES or None,
        edition=paper.edition,
        user=request.user,
        person=person,
        submitter_required=is_author,
        initial={
            "stream": paper.stream,
            "authors": _author_lines(paper),
            "document": submission.document,
        },
    )
    if form.is_bound and form.is_valid():
        answer = _paper_form_page(request, form, submission=submission, edition=paper.edition)
        if answer:
            return answer
    context = {
        "form": form,
        "submission": submission,
        "edition": paper.edition,
        "preview": getattr(form, "preview", None),
    }
    return render(request, "authoring/submit.html", context)
