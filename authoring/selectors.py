"""What the authors' pages read: their papers and where each stands, the calls for papers
open today, and the submissions a user may see."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from papers.models import Edition, Paper

from .models import Submission


def editions_taking_submissions(*, today=None):
    """The editions whose call for papers is open today (both dates included)."""
    today = today or timezone.localdate()
    return Edition.objects.filter(call_opens_on__lte=today, call_closes_on__gte=today)


def editions_with_calls(*, today=None):
    """Editions whose call for papers opens later or is open: (edition, is_open) pairs."""
    today = today or timezone.localdate()
    editions = Edition.objects.filter(call_closes_on__gte=today, call_opens_on__isnull=False)
    return [(edition, edition.call_opens_on <= today) for edition in editions]


@dataclass(frozen=True)
class PaperState:
    """A paper of an author's, and where it stands: "draft", "submitted", "returned",
    "declined", "published" (or "scheduled": published from a later date)."""

    paper: Paper
    state: str
    label: str
    submission: Submission | None


def _state(paper):
    submission = getattr(paper, "submission", None)
    if paper.status == Paper.Status.PUBLISHED:
        state = "published" if paper.is_published else "scheduled"
        return PaperState(paper, state, state.capitalize(), submission)
    if submission is not None:
        state = submission.state
        return PaperState(paper, state, submission.get_state_display(), submission)
    return PaperState(paper, "draft", "Draft", None)


def papers_of(person):
    """The person's papers, newest first, each with its PaperState."""
    papers = (
        Paper.objects.filter(authorships__person=person)
        .select_related("edition", "stream", "submission")
        .order_by("-created_at", "-pk")
    )
    return [_state(paper) for paper in papers]


def submissions_visible_to(user):
    """The submissions a user may see and, when they are returned, change: those of their
    own papers; every one, for staff."""
    submissions = Submission.objects.select_related("paper__edition", "paper__stream")
    if user.is_staff:
        return submissions
    return submissions.filter(Q(paper__authorships__person__user=user)).distinct()
