"""Every write of the authors' side: a profile, a paper sent in, sent again, and the
organisers' decisions. Each is one function; the e-mails they cause go once the
transaction commits (authoring.notifications)."""

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from papers.accounts import _free_slug, author_account
from papers.importer import ImportProblem, import_paper, parse_paper
from papers.models import Authorship, Paper, Person
from papers.preview import paper_preview

from . import notifications
from .documents import submission_document
from .models import Submission, SubmissionEvent

State, Action = Submission.State, SubmissionEvent.Action


class NotAllowed(Exception):
    """What was asked cannot be done to the submission as it is now; the message says why."""


# --- profiles -------------------------------------------------------------------------------


def profile_update(person, *, photo=None, remove_photo=False):
    """Save the person's profile (the form set its fields); photo: (bytes, extension) of a
    new photo, already checked and made anew (papers.photos). The file it replaces goes
    once the change is committed."""
    old = person.photo.name if (photo or remove_photo) else None
    if photo:
        content, extension = photo
        person.photo.save(f"{person.slug}.{extension}", ContentFile(content), save=False)
    elif remove_photo:
        person.photo = ""
    person.save()
    if old:
        storage = person.photo.storage
        transaction.on_commit(lambda: storage.delete(old))
    return person


# --- the call for papers --------------------------------------------------------------------


def call_is_open(edition, *, today=None):
    """Whether the edition takes submissions today (both dates included)."""
    today = today or timezone.localdate()
    opens, closes = edition.call_opens_on, edition.call_closes_on
    return bool(opens and closes and opens <= today <= closes)


def _own_person(user, name):
    """The user's Person, made (with the name they gave) when they have none."""
    person = Person.objects.filter(user=user).first()
    if person is None:
        person = Person.objects.create(display_name=name, slug=_free_slug(name), user=user)
    return person


def _coauthor(name, email):
    """The author whose account has this e-mail address, or a new one with an account.

    Found by the address alone, never by the name: a name is anyone's to type, and an
    account found by a name could be given the address typed with it."""
    person = Person.objects.filter(user__email__iexact=email).order_by("pk").first()
    if person is None:
        person = Person.objects.create(display_name=name, slug=_free_slug(name))
        author_account(person, email=email)
    return person


def _people(authors, *, user):
    """The Person of each AuthorEntry (authoring.forms), in byline order."""
    return [
        _own_person(user, entry.name) if entry.is_submitter else _coauthor(entry.name, entry.email)
        for entry in authors
    ]


def _free_paper_slug(edition, title):
    limit = Paper._meta.get_field("slug").max_length
    base = slugify(title)[:limit].strip("-") or "paper"
    slug, n = base, 2
    while Paper.objects.filter(edition=edition, slug=slug).exists():
        suffix = f"-{n}"
        slug, n = base[: limit - len(suffix)].rstrip("-") + suffix, n + 1
    return slug


def _imported(text, *, edition, stream, people, paper=None):
    """The draft paper the text makes, with these authors, in this edition and stream: a
    new one, or `paper` changed. Raises ImportProblem with the line of the author's text."""
    authors = [(person.display_name, person.user.email) for person in people]

    def build(slug):
        return submission_document(
            text,
            edition=edition,
            stream=stream,
            authors=authors,
            date=timezone.localdate(),
            slug=slug,
        )

    document = build(paper.slug if paper else None)
    try:
        if paper is None:
            title = parse_paper(document.text).meta["title"]
            document = build(_free_paper_slug(edition, title))
        # A new Paper() takes no other paper's address, even one taken a moment ago.
        imported, _created = import_paper(document.text, paper=paper or Paper())
    except ImportProblem as problem:
        raise document.problem(problem) from None
    if [a.person_id for a in imported.authorships.all()] != [person.pk for person in people]:
        imported.authorships.all().delete()
        Authorship.objects.bulk_create(
            Authorship(paper=imported, person=person, position=position)
            for position, person in enumerate(people)
        )
        imported.save()  # bulk_create tells the page cache nothing (papers.receivers)
    return imported


def submission_preview(request, *, user, edition, stream, text, authors, submission=None):
    """The paper's article as readers will see it once published, drawn from the text in a
    transaction that is rolled back (papers.preview): nothing is written. Raises
    ImportProblem."""

    def write():
        paper = _imported(
            text,
            edition=edition,
            stream=stream,
            people=_people(authors, user=user),
            paper=submission.paper if submission else None,
        )
        paper.status = Paper.Status.PUBLISHED  # as readers will see it: no Draft badge
        return paper

    return paper_preview(request, write).article


@transaction.atomic
def submission_create(*, user, edition, stream, text, authors):
    """A paper sent in: stored as a draft with its Submission; its authors are told, and
    co-authors who never signed in are invited. Raises ImportProblem, or NotAllowed when
    the call for papers is not open.

    The same text sent again by the same user to the same edition while it awaits a
    decision (a second click, the browser's Back and send again) is that submission."""
    if not call_is_open(edition):
        raise NotAllowed(f"The call for papers of {edition} is not open.")
    # One submission at a time for each user (PostgreSQL waits here), so a repeat sees the first.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    repeated = Submission.objects.filter(
        submitted_by=user, paper__edition=edition, state=State.SUBMITTED, document=text
    ).first()
    if repeated is not None:
        return repeated
    paper = _imported(text, edition=edition, stream=stream, people=_people(authors, user=user))
    submission = Submission.objects.create(paper=paper, submitted_by=user, document=text)
    event = submission.events.create(action=Action.SUBMITTED, by=user)
    notifications.submission_changed(event)
    notifications.invite([person for person in paper.author_list if person.user_id != user.pk])
    return submission


@transaction.atomic
def submission_resubmit(submission, *, user, stream, text, authors):
    """A returned paper changed and sent in again by one of its authors (or staff)."""
    submission = (
        Submission.objects.select_for_update()
        .select_related("paper__edition")
        .get(pk=submission.pk)
    )
    if not submission.is_editable:
        raise NotAllowed("This submission can be changed only when it is returned to you.")
    paper = submission.paper
    before = set(paper.authorships.values_list("person_id", flat=True))
    paper = _imported(
        text, edition=paper.edition, stream=stream, people=_people(authors, user=user), paper=paper
    )
    submission.state, submission.note = State.SUBMITTED, ""
    submission.document, submission.submitted_at = text, timezone.now()
    submission.save()
    event = submission.events.create(action=Action.RESUBMITTED, by=user)
    notifications.submission_changed(event)
    new = [person for person in paper.author_list if person.pk not in before]
    notifications.invite([person for person in new if person.user_id != user.pk])
    return submission


# --- the organisers' decisions --------------------------------------------------------------

# The states each decision may be taken from.
DECISIONS = {
    State.PUBLISHED: (State.SUBMITTED, State.RETURNED),
    State.RETURNED: (State.SUBMITTED,),
    State.DECLINED: (State.SUBMITTED, State.RETURNED),
}


@transaction.atomic
def submission_decide(submission, *, by, state, note=""):
    """The organisers' decision (published, returned with a note, declined); the authors are
    told. Publishing makes the paper public now. Raises NotAllowed from a state the
    decision cannot be taken from (DECISIONS)."""
    submission = (
        Submission.objects.select_for_update().select_related("paper").get(pk=submission.pk)
    )
    if submission.state not in DECISIONS[state]:
        raise NotAllowed(
            f"“{submission}” is {submission.get_state_display().lower()}: it cannot be "
            f"{State(state).label.lower()} now."
        )
    now = timezone.now()
    submission.state, submission.note = state, note
    submission.decided_at, submission.decided_by = now, by
    submission.save()
    if state == State.PUBLISHED:
        paper = submission.paper
        paper.status, paper.published_on = Paper.Status.PUBLISHED, now
        paper.save()
    event = submission.events.create(action=state, by=by, note=note, at=now)
    notifications.submission_changed(event)
    return submission
