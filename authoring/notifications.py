"""E-mail to the authors of a submission: it was received (again), returned with a note,
declined or published; and an invitation to each co-author who never signed in.

Sent as Django tasks (as comments.notifications sends its e-mail), enqueued once the
transaction commits; a failing enqueue is logged, never raised, so that a broken mail server
never undoes a submission or a decision. Links are built on SITE_URL (common.site).
"""

from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string

from common.names import display_name
from common.site import absolute_url
from common.tasks import enqueue_on_commit
from papers.invitations import AUTOMATIC, invite_author
from papers.models import Person

from .models import SubmissionEvent

Action = SubmissionEvent.Action
SUBJECTS = {
    Action.SUBMITTED: "Received: “{title}”",
    Action.RESUBMITTED: "Received again: “{title}”",
    Action.RETURNED: "Returned to you for changes: “{title}”",
    Action.DECLINED: "Not accepted: “{title}”",
    Action.PUBLISHED: "Published: “{title}”",
}


def submission_changed(event):
    """Tell the paper's authors about this step of their submission, once committed."""
    enqueue_on_commit([tell_authors], event.pk)


def invite(people):
    """Invite those of these people who never signed in to set their password, once
    committed (papers.invitations)."""
    for person in people:
        user = person.user
        if user is not None and user.email and user.last_login is None:
            enqueue_on_commit([invite_coauthor], person.pk)


@task
def tell_authors(event_id):
    """E-mail each author of the paper (with an account and an address); how many went."""
    event = (
        SubmissionEvent.objects.select_related("submission__paper__edition")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return 0
    submission, paper = event.submission, event.submission.paper
    context = {
        "event": event,
        "submission": submission,
        "paper": paper,
        "submission_url": absolute_url(submission.get_absolute_url()),
        "paper_url": absolute_url(paper.get_absolute_url()),
    }
    subject = SUBJECTS[event.action].format(title=" ".join(paper.title.split()))
    sent = 0
    for person in paper.authors.select_related("user").order_by("authorships__position"):
        if person.user is None or not person.user.email:
            continue
        body = render_to_string(
            "authoring/email/submission.txt",
            {**context, "name": display_name(person.display_name)},
        )
        message = EmailMessage(
            subject=subject, body=body, to=[person.user.email], headers=AUTOMATIC
        )
        sent += message.send()
    return sent


@task
def invite_coauthor(person_id):
    """The invitation of a co-author named on a submission, unless they signed in since."""
    person = Person.objects.select_related("user").filter(pk=person_id).first()
    if person is None or person.user is None or person.user.last_login or not person.user.email:
        return 0
    return invite_author(person)
